import type { Rule } from "@groundwork/policy-kit";
import { bucketDisallowAcls } from "./bucket/disallowAcls";
import { bucketEnableEncryption } from "./bucket/enableEncryption";
import { bucketEnableVersioning } from "./bucket/enableVersioning";
import { bucketMissingPublicAccessBlock } from "./bucket/missingPublicAccessBlock";
import { bucketMissingTlsPolicy } from "./bucket/missingTlsPolicy";
import { bucketAclDisallowPublicGrants } from "./bucketAcl/disallowPublicGrants";
import { bucketPolicyDisallowPublicPrincipal } from "./bucketPolicy/disallowPublicPrincipal";
import { bucketPolicyEnforceTls } from "./bucketPolicy/enforceTls";
import { bucketPublicAccessBlockEnableAllFlags } from "./bucketPublicAccessBlock/enableAllFlags";

/** Rules for s3, in the order the pack lists them. */
export const rules: Rule[] = [
    bucketPublicAccessBlockEnableAllFlags,
    bucketMissingPublicAccessBlock,
    bucketPolicyDisallowPublicPrincipal,
    bucketAclDisallowPublicGrants,
    bucketPolicyEnforceTls,
    bucketMissingTlsPolicy,
    bucketEnableEncryption,
    bucketEnableVersioning,
    bucketDisallowAcls,
];
