import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, Transform } from "../base";
import { ManagedAddonName } from "./versions";

/** Configuration values of the VPC CNI add-on: Kubernetes NetworkPolicy enforcement on. */
export const VPC_CNI_CONFIGURATION = { enableNetworkPolicy: "true" } as const;

/**
 * Add-ons installed before the node groups (DaemonSets the nodes need to become Ready) and after them
 * (Deployments that need nodes to schedule on).
 */
export const ADDONS_BEFORE_NODES: readonly ManagedAddonName[] = ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"];
/** Add-ons installed once the node groups exist. */
export const ADDONS_AFTER_NODES: readonly ManagedAddonName[] = ["coredns", "aws-ebs-csi-driver"];

/** Declares one managed add-on pinned to a version; conflicts with self-managed copies are overwritten. */
export function createManagedAddon(
    resourceName: string,
    args: {
        clusterName: pulumi.Input<string>;
        addonName: ManagedAddonName;
        addonVersion: string;
        serviceAccountRoleArn?: pulumi.Input<string>;
        configurationValues?: string;
        tags: Record<string, string>;
    },
    opts: pulumi.CustomResourceOptions,
    transform?: Transform<aws.eks.AddonArgs>,
): aws.eks.Addon {
    return new aws.eks.Addon(
        ...applyTransform(
            transform,
            resourceName,
            {
                clusterName: args.clusterName,
                addonName: args.addonName,
                addonVersion: args.addonVersion,
                serviceAccountRoleArn: args.serviceAccountRoleArn,
                configurationValues: args.configurationValues,
                resolveConflictsOnCreate: "OVERWRITE",
                resolveConflictsOnUpdate: "OVERWRITE",
                tags: args.tags,
            },
            opts,
        ),
    );
}
