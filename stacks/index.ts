/**
 * The stack model: `Pulumi.<stack>.yaml` -> schema (schema.ts) -> tier preset + overrides (tiers.ts,
 * parse.ts) -> a frozen, typed {@link PlatformSpec} (spec.ts). `loadPlatformSpec` (load.ts) is the only part
 * that touches Pulumi; everything else is pure and tested in test/stacks.
 */
export * from "./errors";
export * from "./load";
export * from "./parse";
export * from "./schema";
export * from "./spec";
export * from "./tiers";
