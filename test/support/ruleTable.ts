import type { ResourceRule, Tier } from "@groundwork/policy-kit";
import { checkResource, mutate } from "./policy";

/** Props as a rule sees them. */
export type Props = Record<string, any>;

/** One table row: label, the one mutation applied to the known-good props, the exact messages expected. */
export type Row = [label: string, change: (p: Props) => void, expected: string[]];

/**
 * "Happy path then mutate" for a resource rule: the known-good props pass, then each row mutates one field of a
 * copy and expects exactly the given messages (`[]` for rows that must still pass).
 */
export function ruleTable(rule: ResourceRule, good: Props, rows: Row[], ctx: { type?: string; tier?: Tier; name?: string } = {}): void {
    it(`passes the known-good ${ctx.type ?? rule.resourceTypes[0]}`, () => {
        expect(checkResource(rule, good, ctx)).toEqual([]);
    });
    it.each(rows)("%s", (_label, change, expected) => {
        expect(checkResource(rule, mutate(good, change), ctx)).toEqual(expected);
    });
}
