import * as pulumi from "@pulumi/pulumi";

/**
 * The provider of package `pkg` given in a component's resource options (`providers`, a map when the engine calls
 * Construct), for the components whose TypeScript args take a provider object: a Go or Python program passes it
 * as a resource option, as it would for any resource of that package.
 */
export function providerFrom(opts: pulumi.ComponentResourceOptions | undefined, pkg: string, component: string, optional: boolean): pulumi.ProviderResource | undefined {
    const providers = opts?.providers;
    const found = Array.isArray(providers) ? providers.find((p) => (p as unknown as { getPackage?: () => string }).getPackage?.() === pkg) : providers?.[pkg];
    if (found === undefined && !optional) {
        throw new Error(`${component}: no '${pkg}' provider. Fix: pass the cluster's Kubernetes provider in the resource options' providers (pulumi.Providers(...) in Go, opts=ResourceOptions(providers=[...]) in Python)`);
    }
    return found;
}
