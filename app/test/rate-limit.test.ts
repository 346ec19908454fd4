/**
 * Rate limiting runs after authentication: a verified key has its own budget (keyed on the key id); everything
 * else, failed authentication included, spends the budget of the client address, which is read from
 * X-Forwarded-For trusting exactly TRUSTED_PROXY_HOPS proxies (CloudFront, then the ALB, on the platform).
 */
import { randomBytes } from "node:crypto";
import { request } from "node:http";
import { createServer, type AddressInfo } from "node:net";
import { parseEnv } from "../src/platform/config";
import { startLocalStack, startTestApi, type LocalStack, type TestApi } from "./support/harness";

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack();
});
afterAll(async () => {
  await stack?.stop();
});

/** Each test gets its own API, so its buckets start empty. */
async function withApi(overrides: Record<string, string>, fn: (api: TestApi) => Promise<void>) {
  const api = await startTestApi(stack, { RATE_LIMIT_MAX: "3", RATE_LIMIT_WINDOW_MS: "60000", ...overrides });
  try {
    await fn(api);
  } finally {
    await api.close();
  }
}

/**
 * GET /catalog/items over a connection the API sees as coming from `remoteAddress`: a loopback relay hands its
 * accepted socket, with only the peer address replaced, to the API's own HTTP server.
 */
async function getFrom(api: TestApi, remoteAddress: string, headers: Record<string, string>): Promise<number> {
  const relay = createServer((socket) => {
    Object.defineProperty(socket, "remoteAddress", { value: remoteAddress });
    api.app.server.emit("connection", socket);
  });
  await new Promise<void>((r) => relay.listen(0, "127.0.0.1", r));
  try {
    const { port } = relay.address() as AddressInfo;
    return await new Promise<number>((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port, path: "/catalog/items", agent: false, headers }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      });
      req.on("error", reject);
      req.end();
    });
  } finally {
    relay.close();
  }
}

/** A well-formed key that does not exist: what a client rotating prefixes sends. */
const madeUpKey = () => `gw_${randomBytes(6).toString("hex")}_${randomBytes(32).toString("base64url")}`;
let sku = 0;

describe("after authentication", () => {
  test("a client rotating made-up key prefixes gets no fresh budgets: failed attempts spend its address's budget", async () => {
    await withApi({ TRUSTED_PROXY_HOPS: "0" }, async (api) => {
      const post = (key: string) =>
        api.fetch("/catalog/items", { method: "POST", auth: false, headers: { "x-api-key": key }, json: { sku: `RL-${++sku}`, name: "r", priceCents: 1 } });
      // WHEN one address sends five requests, each with a new key prefix
      const attempts = [];
      for (let i = 0; i < 5; i++) attempts.push(await post(madeUpKey()));
      // THEN the budget of 3 is spent on the failures, and the rest are refused before any key is checked
      expect(attempts.map((r) => r.status)).toEqual([401, 401, 401, 429, 429]);
      expect(attempts[3].headers.get("retry-after")).toMatch(/^\d+$/);
      expect(await attempts[3].json()).toMatchObject({ error: "rate_limited" });
      // ... and that address's anonymous reads share the same spent budget
      expect((await api.fetch("/catalog/items", { auth: false })).status).toBe(429);

      // A verified key is limited on its own id, whatever its address has spent ...
      const writer = await api.createKey(["catalog:write"]);
      const own = [];
      for (let i = 0; i < 4; i++) own.push((await post(writer.key)).status);
      expect(own).toEqual([201, 201, 201, 429]);
      // ... once that is spent, an altered copy of the key buys nothing: it is just another failed attempt
      const altered = writer.key.replace(/^gw_[0-9a-f]{12}_/, `gw_${randomBytes(6).toString("hex")}_`);
      expect((await post(altered)).status).toBe(429);
      // ... while another verified key from the same address has a budget of its own
      expect((await post((await api.createKey(["catalog:write"])).key)).status).toBe(201);
    });
  });
});

describe("client address from the trusted proxy chain", () => {
  // What the API sees behind CloudFront and the ALB: X-Forwarded-For is "<whatever the client sent>, <the client
  // address CloudFront saw>, <the CloudFront edge the ALB saw>", on a connection from the ALB (here loopback).
  const EDGE = "130.176.0.10";
  const via = (client: string, forged: string[] = [], edge = EDGE) => ({ "x-forwarded-for": [...forged, client, edge].join(", ") });
  const A = "203.0.113.7";
  const B = "198.51.100.23";

  test("forged X-Forwarded-For entries do not buy a fresh budget; two real clients get separate ones", async () => {
    await withApi({ TRUSTED_PROXY_HOPS: "2" }, async (api) => {
      const get = async (headers: Record<string, string>) => (await api.fetch("/catalog/items", { auth: false, headers })).status;
      const spent = [];
      for (let i = 0; i < 3; i++) spent.push(await get(via(A)));
      expect(spent).toEqual([200, 200, 200]);
      // Client A prepends made-up addresses (CloudFront appends the real one after them) or comes in through another edge
      expect(await get(via(A, ["192.0.2.1"]))).toBe(429);
      expect(await get(via(A, ["10.0.0.9", "192.0.2.2"]))).toBe(429);
      expect(await get(via(A, [], "130.176.0.99"))).toBe(429);
      // Client B, behind the same proxies, has its own budget
      expect(await get(via(B))).toBe(200);
    });
  });

  test("the chain is believed only on connections from inside the VPC: a client reaching the API directly cannot pose as the proxies", async () => {
    await withApi({ TRUSTED_PROXY_HOPS: "2" }, async (api) => {
      const get = (remoteAddress: string, headers: Record<string, string>) => getFrom(api, remoteAddress, headers);
      // GIVEN a public peer that sends a new chain every time
      const direct = [];
      for (let i = 1; i <= 4; i++) direct.push(await get("198.51.100.200", via(`203.0.113.${i}`)));
      // THEN its own address is what is limited
      expect(direct).toEqual([200, 200, 200, 429]);
      // ... whereas through the ALB (a private VPC address, here also as IPv4-mapped IPv6) each client is its own
      const proxied = [];
      for (let i = 1; i <= 4; i++) proxied.push(await get(i % 2 ? "10.0.12.34" : "::ffff:10.0.12.34", via(`203.0.113.${i}`)));
      expect(proxied).toEqual([200, 200, 200, 200]);
    });
  });
});

test("TRUSTED_PROXY_HOPS: 2 (CloudFront and the ALB) unless set; a bad value names the variable", () => {
  const base = { REDIS_URL: "redis://127.0.0.1:6379", AWS_REGION: "us-east-1", SQS_QUEUE_URL: "http://127.0.0.1:4566/000000000000/jobs", DATABASE_URL: "postgres://u:p@127.0.0.1:5432/db" };
  expect(parseEnv(base).TRUSTED_PROXY_HOPS).toBe(2);
  expect(parseEnv({ ...base, TRUSTED_PROXY_HOPS: "0" }).TRUSTED_PROXY_HOPS).toBe(0);
  expect(() => parseEnv({ ...base, TRUSTED_PROXY_HOPS: "two" })).toThrow(/TRUSTED_PROXY_HOPS: .*\(fix its value\)/);
  expect(() => parseEnv({ ...base, TRUSTED_PROXY_HOPS: "-1" })).toThrow(/TRUSTED_PROXY_HOPS: .*\(fix its value\)/);
});
