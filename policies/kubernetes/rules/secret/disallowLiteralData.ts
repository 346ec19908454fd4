import type { ResourceRule } from "@groundwork/policy-kit";

const SECRET = "kubernetes:core/v1:Secret";
const SECRET_PATCH = "kubernetes:core/v1:SecretPatch";

/**
 * No Kubernetes Secret carries data written by the program (`data` or `stringData`): its value would sit in the
 * program's text or config, in every Pulumi state and plan, and base64-encoded in etcd. Secrets come from a secrets
 * manager, mounted by the Secrets Store CSI driver through the workload's own identity. A Secret that a controller
 * fills (a service-account token, cert-manager's certificate) is declared without data and passes. A Secret the
 * program must write (a bootstrap credential of a third-party chart) needs the pack's exemption with its reason.
 *
 * Severity: high. Level: mandatory.
 * Controls: CKV_K8S_35, Groundwork ZT.3.
 */
export const secretDisallowLiteralData: ResourceRule = {
    kind: "resource",
    name: "k8s-secret-disallow-literal-data",
    description: "No Kubernetes Secret carries data written by the program (data or stringData).",
    controls: ["CKV_K8S_35", "Groundwork ZT.3"],
    severity: "high",
    level: "mandatory",
    remediation:
        "Store the value in AWS Secrets Manager and mount it with the Secrets Store CSI driver (SecretProviderClass), or exempt the Secret with the annotation `exempt.groundwork.dev/k8s-secret-disallow-literal-data: <reason>`.",
    resourceTypes: [SECRET, SECRET_PATCH],
    check(props) {
        const keys = (field: "data" | "stringData"): string[] => {
            const v = props?.[field];
            return v && typeof v === "object" ? Object.keys(v) : [];
        };
        const out: string[] = [];
        for (const field of ["data", "stringData"] as const) {
            const k = keys(field);
            if (k.length > 0) out.push(`the Secret's ${field} holds ${k.length} literal value(s) (${k.sort().join(", ")})`);
        }
        return out;
    },
};
