import type { Rule } from "@groundwork/policy-kit";
import { rules as cloudfront } from "./cloudfront";
import { rules as cloudwatch } from "./cloudwatch";
import { rules as ec2 } from "./ec2";
import { rules as eks } from "./eks";
import { rules as elasticache } from "./elasticache";
import { rules as iam } from "./iam";
import { rules as kms } from "./kms";
import { rules as lb } from "./lb";
import { rules as logs } from "./logs";
import { rules as rds } from "./rds";
import { rules as s3 } from "./s3";
import { rules as secretsmanager } from "./secretsmanager";
import { rules as sqs } from "./sqs";
import { rules as vpc } from "./vpc";
import { rules as wafv2 } from "./wafv2";

/** Every rule of the groundwork-security pack, grouped by service. */
export const allRules: Rule[] = [
    ...ec2,
    ...vpc,
    ...kms,
    ...logs,
    ...iam,
    ...rds,
    ...elasticache,
    ...sqs,
    ...secretsmanager,
    ...eks,
    ...cloudfront,
    ...s3,
    ...wafv2,
    ...lb,
    ...cloudwatch,
];
