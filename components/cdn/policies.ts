import * as aws from "@pulumi/aws";
import { applyTransform, ChildScope } from "../base";
import type { CdnTransforms } from "./args";
import { apiCachePolicySettings, apiOriginRequestPolicySettings, indexCachePolicySettings, securityHeadersSettings, staticCachePolicySettings } from "./documents";

/** The CloudFront policies a Cdn's behaviours use. */
export interface DistributionPolicies {
    /** Origin Access Control of the static bucket origin (SigV4, always signed). */
    readonly originAccessControl: aws.cloudfront.OriginAccessControl;
    /** Cache policy of `/static/*`: one year, key = path only. */
    readonly staticCache: aws.cloudfront.CachePolicy;
    /** Cache policy of `/index.html` (and `/` through the default root object): a minute at the edge. */
    readonly indexCache: aws.cloudfront.CachePolicy;
    /** Cache policy of the API: only what `Cache-Control` allows, keyed on the credentials. */
    readonly apiCache: aws.cloudfront.CachePolicy;
    /** Origin request policy of the API: all viewer headers except `Host`, cookies and query strings. */
    readonly apiOriginRequest: aws.cloudfront.OriginRequestPolicy;
    /** Response headers policy of every behaviour: HSTS, nosniff, frame DENY, referrer policy, CSP. */
    readonly securityHeaders: aws.cloudfront.ResponseHeadersPolicy;
}

/** Declares the Origin Access Control, cache, origin request and response headers policies of the distribution. */
export function declareDistributionPolicies(scope: ChildScope, credentialHeaders: readonly string[], t: CdnTransforms = {}): DistributionPolicies {
    const originAccessControl = new aws.cloudfront.OriginAccessControl(
        ...applyTransform(
            t.originAccessControl,
            scope.name("oac"),
            {
                description: `${scope.baseName}: CloudFront signs every request to the static assets bucket (SigV4)`,
                originAccessControlOriginType: "s3",
                signingBehavior: "always",
                signingProtocol: "sigv4",
            },
            scope.opts(),
        ),
    );
    const staticCache = new aws.cloudfront.CachePolicy(...applyTransform(t.cachePolicy, scope.name("static-cache"), staticCachePolicySettings(), scope.opts()));
    const indexCache = new aws.cloudfront.CachePolicy(...applyTransform(t.cachePolicy, scope.name("index-cache"), indexCachePolicySettings(), scope.opts()));
    const apiCache = new aws.cloudfront.CachePolicy(...applyTransform(t.cachePolicy, scope.name("api-cache"), apiCachePolicySettings(credentialHeaders), scope.opts()));
    const apiOriginRequest = new aws.cloudfront.OriginRequestPolicy(
        ...applyTransform(
            t.originRequestPolicy,
            scope.name("api-origin-request"),
            apiOriginRequestPolicySettings(),
            scope.opts(),
        ),
    );
    const securityHeaders = new aws.cloudfront.ResponseHeadersPolicy(
        ...applyTransform(
            t.responseHeadersPolicy,
            scope.name("security-headers"),
            { comment: "HSTS (2 years, subdomains, preload), nosniff, frame DENY, strict-origin-when-cross-origin, CSP self only", securityHeadersConfig: securityHeadersSettings() },
            scope.opts(),
        ),
    );
    return { originAccessControl, staticCache, indexCache, apiCache, apiOriginRequest, securityHeaders };
}
