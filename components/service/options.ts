import * as pulumi from "@pulumi/pulumi";
import { ArgumentError } from "../base";

/** The resources of a plain `dependsOn` option (a resource or an array of them; Output-wrapped lists are not supported). */
export function dependsOnList(d: pulumi.ResourceOptions["dependsOn"]): pulumi.Input<pulumi.Resource>[] {
    if (d === undefined) return [];
    if (Array.isArray(d)) return d;
    if (pulumi.Resource.isInstance(d)) return [d];
    throw new ArgumentError("Service/NamespaceIsolation", "opts.dependsOn", "an Output-wrapped dependsOn list cannot be passed on to the children", "pass a plain array of resources");
}
