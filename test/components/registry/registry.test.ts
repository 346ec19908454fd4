import { ContainerRegistry, lifecyclePolicy } from "../../../components/registry";
import { evaluateGraph, mandatory } from "../../support/policy";
import { runPulumi } from "../../support/pulumi";
import { grantDocument, RecordingIdentity } from "../../support/grants";

describe("ContainerRegistry", () => {
    it("declares an immutable, scanned repository encrypted with its own rotating key, with expiring old images", async () => {
        const g = await runPulumi(() => void new ContainerRegistry("images", { keepImages: 20, protect: true }));
        const repo = g.one("aws:ecr/repository:Repository");
        const key = g.one("aws:kms/key:Key");
        expect(repo.inputs).toMatchObject({ imageTagMutability: "IMMUTABLE", imageScanningConfiguration: { scanOnPush: true }, forceDelete: false });
        expect(repo.inputs.encryptionConfigurations).toEqual([{ encryptionType: "KMS", kmsKey: key.outputs.arn }]);
        expect(key.inputs.enableKeyRotation).toBe(true);
        expect([repo.protect, key.protect]).toEqual([true, true]);
        const lifecycle = g.one("aws:ecr/lifecyclePolicy:LifecyclePolicy");
        expect(lifecycle.inputs.repository).toBe(repo.outputs.name);
        expect(JSON.parse(lifecycle.inputs.policy)).toEqual(lifecyclePolicy(20));
        expect(mandatory(await evaluateGraph(g))).toEqual([]);
    });

    it("grantPush names only this repository and its key (plus the unscopable login)", async () => {
        const g = await runPulumi(() => new ContainerRegistry("images", { protect: false }).grantPush(new RecordingIdentity()));
        const repo = g.one("aws:ecr/repository:Repository");
        const doc = grantDocument(g, "images-push") as any;
        expect(doc.Statement.map((s: any) => [s.Sid, s.Resource])).toEqual([
            ["EcrLogin", ["*"]],
            ["EcrPush", [repo.outputs.arn]],
            ["EcrKey", [g.one("aws:kms/key:Key").outputs.arn]],
        ]);
    });

    it.each([0, 1001, 2.5])("rejects keepImages %p naming the field", (keepImages) => {
        expect(() => new ContainerRegistry("images", { keepImages })).toThrow(/ContainerRegistry 'images': invalid 'keepImages'/);
    });
});
