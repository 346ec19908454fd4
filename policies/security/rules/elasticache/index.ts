import type { Rule } from "@groundwork/policy-kit";
import { replicationGroupConfigureSubnetGroup } from "./replicationGroup/configureSubnetGroup";
import { replicationGroupEnableAtRestEncryption } from "./replicationGroup/enableAtRestEncryption";
import { replicationGroupEnableAuth } from "./replicationGroup/enableAuth";
import { replicationGroupEnableAutoMinorUpgrade } from "./replicationGroup/enableAutoMinorUpgrade";
import { replicationGroupEnableMultiAz } from "./replicationGroup/enableMultiAz";
import { replicationGroupEnableSnapshots } from "./replicationGroup/enableSnapshots";
import { replicationGroupEnableTransitEncryption } from "./replicationGroup/enableTransitEncryption";

/** Rules for elasticache, in the order the pack lists them. */
export const rules: Rule[] = [
    replicationGroupEnableAtRestEncryption,
    replicationGroupEnableTransitEncryption,
    replicationGroupEnableAuth,
    replicationGroupEnableMultiAz,
    replicationGroupConfigureSubnetGroup,
    replicationGroupEnableSnapshots,
    replicationGroupEnableAutoMinorUpgrade,
];
