import type { Rule } from "@groundwork/policy-kit";
import { cloudwatchMetricAlarmEnforceCoverage } from "./metricAlarm/enforceCoverage";

/** Rules for cloudwatch, in the order the pack lists them. */
export const rules: Rule[] = [cloudwatchMetricAlarmEnforceCoverage];
