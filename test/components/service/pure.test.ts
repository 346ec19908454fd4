import { allowPolicySpec, imagePinProblem, parseImageRef, parseQuantity, regionOfQueueUrl, resolveServiceArgs, ServiceArgs } from "../../../components/service";

const D = `sha256:${"0f".repeat(32)}`;

describe("parseImageRef", () => {
    it.each([
        ["app", { repository: "app", tag: undefined, digest: undefined }],
        ["app:1.2", { repository: "app", tag: "1.2", digest: undefined }],
        ["registry:5000/team/app", { repository: "registry:5000/team/app", tag: undefined, digest: undefined }],
        ["registry:5000/team/app:2", { repository: "registry:5000/team/app", tag: "2", digest: undefined }],
        [`app@${D}`, { repository: "app", tag: undefined, digest: D }],
        [`app:1.2@${D}`, { repository: "app", tag: "1.2", digest: D }],
    ])("%s", (image, expected) => {
        expect(parseImageRef(image)).toEqual(expected);
    });
});

describe("imagePinProblem", () => {
    it.each<[string, string | undefined]>([
        [`123456789012.dkr.ecr.us-east-1.amazonaws.com/app@${D}`, undefined],
        [`app:1.4.2@${D}`, undefined],
        ["app:1.4.2", undefined],
        ["app:latest", "'app:latest' uses the mutable tag 'latest'"],
        ["app", "'app' has no tag, so it resolves to 'latest'"],
        ["app:", "'app:' has no tag, so it resolves to 'latest'"],
        ["app@sha256:xyz", "'app@sha256:xyz' has a malformed digest (expected @sha256:<64 lower-case hex>)"],
        ["", "the image is empty"],
    ])("%s", (image, expected) => {
        expect(imagePinProblem(image)).toBe(expected);
    });
});

describe("parseQuantity", () => {
    it.each<[string, number | undefined]>([
        ["100m", 0.1],
        ["2", 2],
        ["128Mi", 128 * 2 ** 20],
        ["1Gi", 2 ** 30],
        ["1.5G", 1.5e9],
        ["lots", undefined],
        ["-1", undefined],
    ])("%s", (q, expected) => {
        expect(parseQuantity(q)).toBe(expected);
    });
});

describe("regionOfQueueUrl", () => {
    it.each<[string, string | undefined]>([
        ["https://sqs.eu-west-1.amazonaws.com/123456789012/jobs", "eu-west-1"],
        ["https://example.com/jobs", undefined],
    ])("%s", (url, expected) => {
        expect(regionOfQueueUrl(url)).toBe(expected);
    });
});

describe("allowPolicySpec peers", () => {
    const args = (extra: Partial<ServiceArgs>) => resolveServiceArgs("api", { provider: {} as any, namespace: "app", image: "app:1", port: 8080, ...extra });
    it.each<[string, Partial<ServiceArgs>, unknown]>([
        ["pods of the same namespace", { ingressFrom: [{ podLabels: { role: "web" } }] }, [{ podSelector: { matchLabels: { role: "web" } } }]],
        ["a whole other namespace", { ingressFrom: [{ namespace: "ingress-nginx" }] }, [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } }]],
        [
            "pods of another namespace",
            { ingressFrom: [{ namespace: "monitoring", podLabels: { app: "prometheus" }, ports: [9091] }] },
            [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } }, podSelector: { matchLabels: { app: "prometheus" } } }],
        ],
        ["its own namespace by name", { ingressFrom: [{ namespace: "app" }] }, [{ podSelector: {} }]],
    ])("%s", (_label, extra, from) => {
        const spec = allowPolicySpec("api", args(extra));
        expect((spec.ingress as any[])[0].from).toEqual(from);
    });

    it("a peer's ports replace the default port", () => {
        const spec = allowPolicySpec("api", args({ ingressFrom: [{ namespace: "monitoring", ports: [9091] }] }));
        expect((spec.ingress as any[])[0].ports).toEqual([{ protocol: "TCP", port: 9091 }]);
    });
});
