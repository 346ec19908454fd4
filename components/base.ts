import * as pulumi from "@pulumi/pulumi";

/** Tags every taggable Groundwork resource carries, merged under the caller's own tags. */
export type Tags = Record<string, string>;

/**
 * Retention values CloudWatch Logs accepts, in days (0, "never expire", is left out on purpose). The one list every
 * component validates `logRetentionDays`-style arguments against.
 */
export const LOG_RETENTION_DAYS: readonly number[] = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/**
 * Resource options of a stateful child (key, log group, bucket, database): `protect` and `retainOnDelete` when
 * `protect` is true; none when false, so a `protect` the caller set on the component still reaches the child.
 */
export function statefulOptions(protect: boolean): pulumi.CustomResourceOptions {
    return protect ? { protect: true, retainOnDelete: true } : {};
}

/**
 * Changes the arguments (and options) of one child resource just before a component declares it: the escape hatch
 * for a setting the component does not expose, in the manner of SST's `transform`. It receives copies the component
 * no longer reads, so it may mutate `args` and `opts` in place (replacing a whole field works too). `name` is the
 * child's logical name, for transforms shared by several children.
 *
 * The component does not validate the result again: its own checks ran on the component's arguments, before any
 * child was declared. The policy packs (policies/, `npm run plan`, `pulumi preview --policy-pack`) judge the
 * declared resource, so a transform that weakens a secure default is reported like any other resource would be.
 */
export type Transform<Args> = (args: Args, opts: pulumi.CustomResourceOptions, name: string) => void;

/** Copy of plain objects and arrays, down to the leaves; Outputs, Resources and other class instances are shared. */
function copyPlain<T>(value: T): T {
    if (Array.isArray(value)) return value.map(copyPlain) as T;
    if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copyPlain(v)])) as T;
    }
    return value;
}

/**
 * Applies an optional {@link Transform} to a child's name, args and options, returned ready to spread into the
 * resource constructor: `new aws.s3.Bucket(...applyTransform(t.bucket, name, args, opts))`. Without a transform the
 * very same objects come back; with one, copies (plain objects and arrays only) that the transform may mutate.
 */
export function applyTransform<Args extends object>(
    transform: Transform<Args> | undefined,
    name: string,
    args: NoInfer<Args>,
    opts: pulumi.CustomResourceOptions,
): [string, Args, pulumi.CustomResourceOptions] {
    if (transform === undefined) return [name, args, opts];
    const a = copyPlain(args);
    const o = copyPlain(opts);
    transform(a, o, name);
    return [name, a, o];
}

/** How a module of a component declares children: names, tags and options come from the component. */
export interface ChildScope {
    /** The component's logical name. */
    readonly baseName: string;
    /** Logical name of a child, `${name}-${part}`. */
    name(part: string): string;
    /** Tags for a child, with its `Name` tag. */
    tags(part: string): Tags;
    /** Options for a child (parented to the component). */
    opts(extra?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions;
    /** Options for invokes (parented to the component, so they use its provider). */
    readonly invokeOpts: pulumi.InvokeOutputOptions;
}

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

    /** This component's names, tags and options, for the modules that declare some of its children. */
    protected childScope(): ChildScope {
        return {
            baseName: this.baseName,
            name: (part) => this.childName(part),
            tags: (part) => this.childTags(part),
            opts: (extra) => this.childOpts(extra),
            invokeOpts: { parent: this },
        };
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
