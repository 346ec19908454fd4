import type * as kubernetes from "@pulumi/kubernetes";
import { ResolvedScaling, ResolvedServiceArgs, resolveServiceArgs } from "../../../components/service/args";
import type { ServiceArgs } from "../../../components/service/types";

/** Compile-time equality of two types (checked by `npm run typecheck`, which includes test/). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(): T | undefined {
    return undefined;
}

// The resolved type is derived from ServiceArgs: a field added there appears here, required, unless it is listed as
// read-as-given. These lines stop compiling when the derivation drifts.
assertType<Equal<ResolvedServiceArgs["runAsUser"], number>>();
assertType<Equal<ResolvedServiceArgs["tolerations"], NonNullable<ServiceArgs["tolerations"]>>>();
assertType<Equal<ResolvedServiceArgs["port"], number | undefined>>();
assertType<Equal<Extract<keyof ResolvedServiceArgs, "provider" | "env" | "roleArn" | "command" | "commandArgs" | "tags">, never>>();
assertType<Equal<Extract<ResolvedScaling, { kind: "hpa" }>, { kind: "hpa"; min: number; max: number; cpuUtilization: number }>>();

const provider = {} as kubernetes.Provider;
const minimal: ServiceArgs = { provider, namespace: "app", image: "repo/api@sha256:" + "a".repeat(64), port: 8080 };

describe("ResolvedServiceArgs, derived from ServiceArgs", () => {
    it("resolve fills every derived field, and nothing the component reads as given", () => {
        const r = resolveServiceArgs("api", { ...minimal, env: { A: "1" }, roleArn: "arn:aws:iam::123456789012:role/r", command: ["node"], tags: { a: "b" } });
        expect(Object.keys(r).sort()).toEqual(
            [
                "automountServiceAccountToken",
                "cpuRequest",
                "createNamespace",
                "egressTo",
                "healthPort",
                "image",
                "ingress",
                "ingressFrom",
                "internetEgress",
                "labels",
                "livenessPath",
                "memoryLimit",
                "memoryRequest",
                "mesh",
                "namespace",
                "nodeSelector",
                "port",
                "readinessPath",
                "runAsGroup",
                "runAsUser",
                "scaling",
                "secretMounts",
                "serviceAccountName",
                "terminationGracePeriodSeconds",
                "tmpSizeLimit",
                "tolerations",
            ].sort(),
        );
        const required = Object.entries(r).filter(([k]) => k !== "ingress" && k !== "port" && k !== "internetEgress");
        expect(required.filter(([, v]) => v === undefined)).toEqual([]);
    });

    it("applies the documented defaults", () => {
        const r = resolveServiceArgs("api", minimal);
        expect(r).toMatchObject({
            createNamespace: false,
            healthPort: 8080,
            readinessPath: "/readyz",
            livenessPath: "/healthz",
            serviceAccountName: "api",
            automountServiceAccountToken: false,
            runAsUser: 10001,
            runAsGroup: 10001,
            cpuRequest: "100m",
            memoryRequest: "128Mi",
            memoryLimit: "256Mi",
            tmpSizeLimit: "64Mi",
            scaling: { kind: "hpa", min: 2, max: 4, cpuUtilization: 70 },
            terminationGracePeriodSeconds: 30,
        });
        const q = resolveServiceArgs("worker", { ...minimal, scaling: { kind: "queue", queueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/jobs" } });
        expect(q.scaling).toEqual({ kind: "queue", queueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/jobs", min: 2, max: 10, messagesPerReplica: 5, awsRegion: undefined, identityOwner: "keda" });
        const i = resolveServiceArgs("api", { ...minimal, ingressFrom: [{ cidr: "10.0.0.0/16" }], ingress: { host: "api.example.com", certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc" } });
        expect(i.ingress).toMatchObject({ scheme: "internal", path: "/" });
    });
});
