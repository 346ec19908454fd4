import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { bindAvailabilityZones, parseStackConfig } from "./parse";
import { PlatformSpec } from "./spec";

/** `isConfigSecret` is exported by the runtime's JS but not by its typings. */
function secretKeysOf(raw: Record<string, string>): string[] {
    const runtimeConfig = require("@pulumi/pulumi/runtime/config") as { isConfigSecret?: (key: string) => boolean };
    return typeof runtimeConfig.isConfigSecret === "function" ? Object.keys(raw).filter((k) => runtimeConfig.isConfigSecret!(k)) : [];
}

/**
 * Reads the stack's config (`groundwork:*` and `aws:region`) from the Pulumi runtime, validates it, asks
 * AWS which AZs the region has (`getAvailabilityZones`, available zones that need no opt-in), and returns
 * the frozen {@link PlatformSpec}. Rejects with a `ConfigError` naming the key before any resource exists:
 * the config is checked before the AZ lookup, the AZ count right after it.
 */
export async function loadPlatformSpec(): Promise<PlatformSpec> {
    const raw = pulumi.runtime.allConfig();
    const config = parseStackConfig(raw, {
        stack: pulumi.getStack(),
        project: pulumi.getProject(),
        secretKeys: secretKeysOf(raw),
        defaultRegion: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION,
    });
    const zones = await aws.getAvailabilityZones({ state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] });
    return bindAvailabilityZones(config, zones.names);
}
