import type { ResourceRule } from "@groundwork/policy-kit";
import { readKnown } from "@groundwork/policy-kit";
import { DISTRIBUTION_TYPES, present } from "../shared";

/** CloudFront viewer security policies that require TLS 1.2 or newer with strong ciphers. */
export const MODERN_VIEWER_TLS_POLICIES: readonly string[] = ["TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"];

/**
 * Viewers get TLS 1.2 or newer: the distribution uses its own certificate (ACM or IAM, not the default
 * `*.cloudfront.net` one, which CloudFront serves with TLSv1 allowed), `minimumProtocolVersion` is one of
 * {@link MODERN_VIEWER_TLS_POLICIES}, and `sslSupportMethod` is `sni-only`. A distribution without a custom
 * domain breaks this rule by design; it may be exempted with a reason (the Cdn component's
 * `defaultCertificateReason` opt-out sets the exemption tag).
 *
 * Severity: high. Level: mandatory.
 * Controls: FSBP CloudFront.7, FSBP CloudFront.8, CKV_AWS_174, AWS-0013, AwsSolutions-CFR4.
 */
export const distributionConfigureViewerTls: ResourceRule = {
    kind: "resource",
    name: "aws-cloudfront-distribution-configure-viewer-tls",
    description: "CloudFront distributions use a custom certificate with minimum protocol TLSv1.2_2021 or newer, served with SNI.",
    controls: ["FSBP CloudFront.7", "FSBP CloudFront.8", "CKV_AWS_174", "AWS-0013", "AwsSolutions-CFR4"],
    severity: "high",
    level: "mandatory",
    remediation:
        "Give the distribution a custom domain with an ACM certificate in us-east-1 and set `viewerCertificate: { acmCertificateArn, minimumProtocolVersion: \"TLSv1.2_2021\", sslSupportMethod: \"sni-only\" }`; a dev stack without a domain may carry a reasoned exemption instead.",
    resourceTypes: DISTRIBUTION_TYPES,
    check(props) {
        const vc = props.viewerCertificate;
        if (!vc || typeof vc !== "object") return ["viewerCertificate is not set"];
        const isDefault = readKnown(() => vc.cloudfrontDefaultCertificate);
        const ownCert = readKnown(() => present(vc.acmCertificateArn) || present(vc.iamCertificateArn) || present(vc.iamCertificateId)) ?? true;
        if (isDefault === true || isDefault === "true" || !ownCert) {
            return ["uses the default *.cloudfront.net certificate, which CloudFront serves with TLS 1.0 allowed"];
        }
        const messages: string[] = [];
        const mpv = readKnown(() => vc.minimumProtocolVersion);
        if (!present(mpv)) messages.push("viewerCertificate.minimumProtocolVersion is not set (CloudFront then allows TLSv1)");
        else if (!MODERN_VIEWER_TLS_POLICIES.includes(String(mpv))) {
            messages.push(`viewerCertificate.minimumProtocolVersion is ${JSON.stringify(mpv)}: use ${MODERN_VIEWER_TLS_POLICIES.join(", ")}`);
        }
        const ssl = readKnown(() => vc.sslSupportMethod);
        if (ssl !== "sni-only") messages.push(`viewerCertificate.sslSupportMethod is ${present(ssl) ? JSON.stringify(ssl) : "not set"}: use "sni-only"`);
        return messages;
    },
};
