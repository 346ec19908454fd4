// The Groundwork platform program (Pulumi.yaml `main: infra/`). Thin on purpose: read the stack model,
// build the platform, export its outputs. Pulumi calls the exported async function and awaits it, so a bad
// config (stacks/ throws a ConfigError naming the key) fails the run before any resource is declared.
import { loadPlatformSpec } from "../stacks";
import { buildPlatform } from "./platform";

export = async () => {
    const spec = await loadPlatformSpec();
    return buildPlatform(spec).outputs;
};
