import * as pulumi from "@pulumi/pulumi";

/** Tags every taggable Groundwork resource carries, merged under the caller's own tags. */
export type Tags = Record<string, string>;

/** Arguments every Groundwork component accepts. */
export interface BaseArgs {
    /**
     * Extra tags for every taggable child. `project`, `stack` and `component` are always set and win over these.
     * @default {}
     */
    readonly tags?: Record<string, string>;
}

/**
 * Base class of every Groundwork component: fixes the `groundwork:<module>:<Name>` type token,
 * names children from the component's name and computes the standard tags.
 */
export abstract class GroundworkComponent extends pulumi.ComponentResource {
    /** The component's logical name; every child's name starts with it. */
    public readonly baseName: string;
    /** Tags for taggable children: the caller's tags plus `project`, `stack` and `component`. */
    public readonly tags: Tags;

    /**
     * @param module Module part of the type token, for example `network`.
     * @param kind Class part of the type token, for example `Network`.
     */
    protected constructor(module: string, kind: string, name: string, args: BaseArgs | undefined, opts?: pulumi.ComponentResourceOptions) {
        super(`groundwork:${module}:${kind}`, name, {}, opts);
        this.baseName = name;
        this.tags = {
            ...(args?.tags ?? {}),
            project: pulumi.getProject(),
            stack: pulumi.getStack(),
            component: `${module}/${kind}`,
        };
    }

    /** Logical name of a child: `${name}-${part}`. */
    protected childName(part: string): string {
        return `${this.baseName}-${part}`;
    }

    /** Tags for one child, with a `Name` tag that the AWS console shows. */
    protected childTags(part?: string): Tags {
        return part === undefined ? { ...this.tags } : { ...this.tags, Name: this.childName(part) };
    }

    /** Resource options for a child: always parented to this component. */
    protected childOpts(extra?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
        return { ...extra, parent: this };
    }
}

/**
 * Error thrown for invalid component args, before any resource is declared.
 * The message names the component, the field and the fix.
 */
export class ArgumentError extends Error {
    constructor(component: string, field: string, problem: string, fix: string) {
        super(`${component}: invalid '${field}': ${problem}. Fix: ${fix}`);
        this.name = "ArgumentError";
    }
}
