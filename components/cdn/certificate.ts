import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, ChildScope } from "../base";
import { CdnTransforms, CertificateMode, CLOUDFRONT_REGION, nameSlug, validationNames } from "./args";

/**
 * The viewer certificate's ARN by {@link CertificateMode}: the given ARN; or an ACM certificate issued in us-east-1
 * for every name, DNS-validated through records in `hostedZoneId` (one per distinct base name), whose ARN is known
 * once validation completes; or undefined for the default `*.cloudfront.net` certificate.
 */
export function declareViewerCertificate(
    scope: ChildScope,
    mode: CertificateMode,
    given: { certificateArn?: pulumi.Input<string>; hostedZoneId?: pulumi.Input<string> },
    t: CdnTransforms = {},
): pulumi.Output<string> | undefined {
    if (mode.kind === "default") return undefined;
    if (mode.kind === "given") return pulumi.output(given.certificateArn as pulumi.Input<string>);
    const certificate = new aws.acm.Certificate(
        ...applyTransform(
            t.certificate,
            scope.name("cert"),
            {
                region: CLOUDFRONT_REGION,
                domainName: mode.names[0],
                subjectAlternativeNames: mode.names.slice(1),
                validationMethod: "DNS",
                tags: scope.tags("cert"),
            },
            scope.opts(),
        ),
    );
    const records = validationNames(mode.names).map((n) => {
        const option = certificate.domainValidationOptions.apply((opts) => {
            const o = opts.find((x) => x.domainName === n);
            if (!o) throw new Error(`Cdn '${scope.baseName}': ACM returned no validation record for '${n}'`);
            return o;
        });
        return new aws.route53.Record(
            scope.name(`cert-validation-${nameSlug(n)}`),
            {
                zoneId: given.hostedZoneId as pulumi.Input<string>,
                name: option.apply((o) => o.resourceRecordName as string),
                type: option.apply((o) => o.resourceRecordType as string),
                records: [option.apply((o) => o.resourceRecordValue as string)],
                ttl: 300,
                allowOverwrite: true,
            },
            scope.opts(),
        );
    });
    const validation = new aws.acm.CertificateValidation(
        scope.name("cert-validation"),
        { region: CLOUDFRONT_REGION, certificateArn: certificate.arn, validationRecordFqdns: records.map((rec) => rec.fqdn) },
        scope.opts(),
    );
    return validation.certificateArn;
}
