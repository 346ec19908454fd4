import * as path from "node:path";
import { allRules } from "../../policies/security/rules";
import { describeRuleQuality, filesUnder } from "../support/ruleMeta";

// Quality checks over every rule of the groundwork-security pack: policies/security/rules/<service>/<resource>/<rule>.ts.
describeRuleQuality({
    pack: "groundwork-security",
    rules: allRules,
    rulesDir: path.join(__dirname, "../../policies/security/rules"),
    ruleFileDepth: 3,
    name: /^aws-[a-z0-9]+(-[a-z0-9]+)+$/,
    verbIndex: 3,
    /**
     * Control id formats of the AWS benchmarks: `FSBP EC2.13`, `CIS 5.3`, `CKV_AWS_24`, `CKV2_AWS_11`, `AWS-0107`, `AwsSolutions-EC23`;
     * and `Groundwork OPS.1` for a rule no public benchmark has (alarm coverage).
     */
    control: /^(FSBP [A-Za-z0-9]+\.\d+|CIS \d+(\.\d+)*|CKV2?_AWS_\d+|AWS-\d{4}|AwsSolutions-[A-Z0-9]+|Groundwork [A-Z]+\.\d+)$/,
    type: /^[a-z0-9]+:[a-zA-Z0-9]+\/[a-zA-Z0-9]+:[A-Za-z0-9]+$/,
    testFiles: filesUnder(__dirname, (f) => f.endsWith(".test.ts") && !/(rules|k8s)-meta\.test\.ts$/.test(f)),
});
