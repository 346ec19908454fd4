import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import contract from "../src/contract.json";
import { MODULE_NAMES } from "../src/app";

// src/contract.json lists the IAM actions each entry point performs; the platform grants exactly those
// (test/infra/platform.test.ts in the platform). This test keeps the list honest from the app's side: every AWS
// call in the code is listed, and every listed action comes from a call in the code.

const SRC = join(__dirname, "..", "src");
const files = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : f.endsWith(".ts") ? [join(dir, f)] : []));

/** IAM prefix of each AWS SDK client package the app uses. */
const SERVICE: Record<string, string> = { "@aws-sdk/client-sqs": "sqs", "@aws-sdk/client-secrets-manager": "secretsmanager" };
/** SDK commands whose IAM action has another name. */
const ACTION_OF_COMMAND: Record<string, string> = { "sqs:SendMessageBatch": "sqs:SendMessage" };

/** The IAM actions the source performs: SDK commands, plus the signed tokens (RDS and ElastiCache IAM authentication). */
function actionsInSource(): Set<string> {
  const out = new Set<string>();
  for (const f of files(SRC)) {
    const text = readFileSync(f, "utf8");
    for (const [pkg, service] of Object.entries(SERVICE)) {
      if (!text.includes(`"${pkg}"`)) continue;
      for (const m of text.matchAll(/new (\w+)Command\(/g)) {
        const action = `${service}:${m[1]}`;
        out.add(ACTION_OF_COMMAND[action] ?? action);
      }
    }
    if (text.includes('"@aws-sdk/rds-signer"')) out.add("rds-db:connect");
    if (/new SignatureV4\(\{ service: "elasticache"/.test(text)) out.add("elasticache:Connect");
    // Reading a secret encrypted with a customer-managed key makes Secrets Manager call KMS on the reader's behalf.
    if (out.has("secretsmanager:GetSecretValue")) out.add("kms:Decrypt");
  }
  return out;
}

describe("src/contract.json awsCalls", () => {
  const declared = new Set(Object.values(contract.awsCalls as Record<string, Record<string, string[]>>).flatMap((byResource) => Object.values(byResource).flat()));
  const inSource = actionsInSource();

  it("lists every AWS action the code performs", () => {
    expect([...inSource].filter((a) => !declared.has(a))).toEqual([]);
  });

  it("lists no action the code does not perform (a stale entry would grant it)", () => {
    expect([...declared].filter((a) => !inSource.has(a))).toEqual([]);
  });

  it("names the entry points that run in the cluster", () => {
    expect(Object.keys(contract.awsCalls).sort()).toEqual(["api", "catalog-api", "migrate", "worker"]);
  });

  it("an entry '<module>-api' names a real module and needs nothing the whole API does not (it runs a subset of it)", () => {
    const calls = contract.awsCalls as Record<string, Record<string, string[]>>;
    const extracted = Object.keys(calls).filter((entry) => entry.endsWith("-api"));
    expect(extracted.length).toBeGreaterThan(0);
    for (const entry of extracted) {
      const module = entry.slice(0, -"-api".length);
      expect({ entry, isModule: (MODULE_NAMES as readonly string[]).includes(module) }).toEqual({ entry, isModule: true });
      // Per resource too: the extracted API may use fewer resources or actions than the whole API, never others.
      for (const [resource, actions] of Object.entries(calls[entry])) {
        expect({ entry, resource, beyondApi: actions.filter((a) => !(calls.api[resource] ?? []).includes(a)) }).toEqual({ entry, resource, beyondApi: [] });
      }
    }
  });
});
