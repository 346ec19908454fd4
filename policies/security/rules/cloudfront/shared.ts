/**
 * Helpers shared by the cloudfront rules: the distribution's behaviours and origins as labelled lists, and
 * how an origin's domain tells an S3 bucket from a custom origin. Pure functions, no rules here.
 */
import { asArray } from "@groundwork/policy-kit";

/** Pulumi type tokens the cloudfront rules look at. */
export const CLOUDFRONT_TYPES = {
    distribution: "aws:cloudfront/distribution:Distribution",
    multitenantDistribution: "aws:cloudfront/multitenantDistribution:MultitenantDistribution",
    originAccessControl: "aws:cloudfront/originAccessControl:OriginAccessControl",
    responseHeadersPolicy: "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy",
    logDeliverySource: "aws:cloudwatch/logDeliverySource:LogDeliverySource",
    logDelivery: "aws:cloudwatch/logDelivery:LogDelivery",
} as const;

/**
 * The distribution types: a standard distribution and a multi-tenant one (SaaS), which carries the same viewer,
 * origin and WAF settings in slightly different shapes (`cacheBehaviors`, origins keyed by `id`, lists of one
 * `customOriginConfigs` / `vpcOriginConfigs`). The helpers below read both shapes.
 */
export const DISTRIBUTION_TYPES: string[] = [CLOUDFRONT_TYPES.distribution, CLOUDFRONT_TYPES.multitenantDistribution];

/** A cache behaviour with the label messages use: `defaultCacheBehavior`, `orderedCacheBehaviors[0] (/static/*)`. */
export interface Behaviour {
    /** How messages name the behaviour. */
    label: string;
    /** The behaviour's props. */
    value: Record<string, any>;
}

/**
 * The default behaviour (when set) and every other behaviour, labelled: `orderedCacheBehaviors` of a distribution,
 * `cacheBehaviors` of a multi-tenant distribution (`type`).
 */
export function behavioursOf(props: Record<string, any>, type: string = CLOUDFRONT_TYPES.distribution): Behaviour[] {
    const out: Behaviour[] = [];
    if (props.defaultCacheBehavior && typeof props.defaultCacheBehavior === "object") out.push({ label: "defaultCacheBehavior", value: props.defaultCacheBehavior });
    const field = type === CLOUDFRONT_TYPES.multitenantDistribution ? "cacheBehaviors" : "orderedCacheBehaviors";
    asArray<Record<string, any>>(props[field]).forEach((b, i) => {
        if (!b || typeof b !== "object") return;
        out.push({ label: `${field}[${i}]${typeof b.pathPattern === "string" ? ` (${b.pathPattern})` : ""}`, value: b });
    });
    return out;
}

/** An origin with the label messages use: `origin 'api'`. */
export interface Origin {
    /** How messages name the origin. */
    label: string;
    /** The origin's props. */
    value: Record<string, any>;
}

/**
 * Every origin, labelled by its originId (or index). A multi-tenant distribution's origin (`type`) is given in the
 * standard shape: `originId` from `id`, `customOriginConfig` and `vpcOriginConfig` from the first element of
 * `customOriginConfigs` and `vpcOriginConfigs`.
 */
export function originsOf(props: Record<string, any>, type: string = CLOUDFRONT_TYPES.distribution): Origin[] {
    const multitenant = type === CLOUDFRONT_TYPES.multitenantDistribution;
    return asArray<Record<string, any>>(props.origins)
        .filter((o) => o && typeof o === "object")
        .map((o) =>
            multitenant
                ? {
                      originId: o.id,
                      domainName: o.domainName,
                      originAccessControlId: o.originAccessControlId,
                      customOriginConfig: asArray<Record<string, any>>(o.customOriginConfigs)[0],
                      vpcOriginConfig: asArray<Record<string, any>>(o.vpcOriginConfigs)[0],
                  }
                : o,
        )
        .map((o, i) => ({ label: `origin '${typeof o.originId === "string" && o.originId ? o.originId : `#${i}`}'`, value: o }));
}

/** True for an S3 website endpoint (`<bucket>.s3-website-<region>.amazonaws.com` or `.s3-website.<region>.`). */
export function isS3WebsiteDomain(domain: unknown): boolean {
    return typeof domain === "string" && /\.s3-website[.-][a-z0-9-]+\.amazonaws\.com(\.cn)?\.?$/i.test(domain);
}

/**
 * True for an S3 REST endpoint, the kind of origin OAC protects: `<bucket>.s3.amazonaws.com`,
 * `<bucket>.s3.<region>.amazonaws.com`, `<bucket>.s3-<region>.amazonaws.com`, dual-stack forms. Website
 * endpoints are not REST endpoints.
 */
export function isS3RestDomain(domain: unknown): boolean {
    return typeof domain === "string" && !isS3WebsiteDomain(domain) && /\.s3([.-][a-z0-9-]+)*\.amazonaws\.com(\.cn)?\.?$/i.test(domain);
}

/** True when a value is set: not undefined, null or the empty string. */
export function present(v: unknown): boolean {
    return v !== undefined && v !== null && v !== "";
}
