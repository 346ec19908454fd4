import * as aws from "@pulumi/aws";
import { Grantable, policyJson, StatementInput } from "../../components/identity/statements";
import type { Graph } from "./pulumi";

/**
 * A Grantable for component tests: each grant becomes an `aws.iam.RolePolicy` named after the grant whose `policy` is
 * the document `policyJson` builds (the statement builder's checks run), so tests read the exact JSON from the graph.
 */
export class RecordingIdentity implements Grantable {
    /** Grant names in the order they were added. */
    public readonly grants: string[] = [];

    /** @param prefix Prefix of the RolePolicy names, to keep several identities in one program apart. */
    constructor(private readonly prefix = "") {}

    /** Records one grant as a RolePolicy on a fixed role name. */
    addStatements(grantName: string, statements: StatementInput[]): void {
        this.grants.push(grantName);
        new aws.iam.RolePolicy(`grant-${this.prefix}${grantName}`, { role: `${this.prefix}test-role`, policy: policyJson(statements) });
    }
}

/** The policy document a grant produced, parsed. */
export function grantDocument(graph: Graph, grantName: string): unknown {
    return JSON.parse(graph.one("aws:iam/rolePolicy:RolePolicy", `grant-${grantName}`).inputs.policy);
}
