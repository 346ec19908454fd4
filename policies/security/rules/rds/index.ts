import type { Rule } from "@groundwork/policy-kit";
import { rdsInstanceConfigureBackupRetention } from "./instance/configureBackupRetention";
import { rdsInstanceDisallowDefaultUsername } from "./instance/disallowDefaultUsername";
import { rdsInstanceDisallowPublicAccess } from "./instance/disallowPublicAccess";
import { rdsInstanceEnableAutoMinorUpgrade } from "./instance/enableAutoMinorUpgrade";
import { rdsInstanceEnableDeletionProtection } from "./instance/enableDeletionProtection";
import { rdsInstanceEnableEnhancedMonitoring } from "./instance/enableEnhancedMonitoring";
import { rdsInstanceEnableIamAuthentication } from "./instance/enableIamAuthentication";
import { rdsInstanceEnableLogExports } from "./instance/enableLogExports";
import { rdsInstanceEnableMultiAz } from "./instance/enableMultiAz";
import { rdsInstanceEnablePerformanceInsights } from "./instance/enablePerformanceInsights";
import { rdsInstanceEnableStorageEncryption } from "./instance/enableStorageEncryption";
import { rdsInstanceEnforceSsl } from "./instance/enforceSsl";

/** Rules for rds, in the order the pack lists them. */
export const rules: Rule[] = [
    rdsInstanceDisallowPublicAccess,
    rdsInstanceEnableStorageEncryption,
    rdsInstanceConfigureBackupRetention,
    rdsInstanceEnableMultiAz,
    rdsInstanceEnableDeletionProtection,
    rdsInstanceEnforceSsl,
    rdsInstanceEnableLogExports,
    rdsInstanceEnableAutoMinorUpgrade,
    rdsInstanceEnableIamAuthentication,
    rdsInstanceEnablePerformanceInsights,
    rdsInstanceEnableEnhancedMonitoring,
    rdsInstanceDisallowDefaultUsername,
];
