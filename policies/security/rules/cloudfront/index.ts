import type { Rule } from "@groundwork/policy-kit";
import { distributionConfigureDefaultRootObject } from "./distribution/configureDefaultRootObject";
import { distributionConfigureViewerTls } from "./distribution/configureViewerTls";
import { distributionEnableAccessLogging } from "./distribution/enableAccessLogging";
import { distributionEnableSecurityHeaders } from "./distribution/enableSecurityHeaders";
import { distributionEnableWaf } from "./distribution/enableWaf";
import { distributionEnforceHttpsViewer } from "./distribution/enforceHttpsViewer";
import { distributionEnforceOriginAccessControl } from "./distribution/enforceOriginAccessControl";
import { distributionEnforceOriginHttps } from "./distribution/enforceOriginHttps";

/** Rules for cloudfront, in the order the pack lists them. */
export const rules: Rule[] = [
    distributionEnforceHttpsViewer,
    distributionConfigureViewerTls,
    distributionEnforceOriginAccessControl,
    distributionEnforceOriginHttps,
    distributionEnableAccessLogging,
    distributionEnableWaf,
    distributionConfigureDefaultRootObject,
    distributionEnableSecurityHeaders,
];
