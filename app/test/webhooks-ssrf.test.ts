/**
 * The SSRF guard of outbound webhooks (src/platform/outbound-http.ts): which addresses are refused, that every
 * resolved address is judged, that the connection goes to the address that was judged (no second DNS lookup to
 * rebind), and that redirects, large answers and silent receivers are contained. Real HTTP on loopback; DNS answers
 * come from a fake resolver where a test needs a name to resolve somewhere particular.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { PortRefusedError, TargetRefusedError, guardedPost, refusedRange, resolveAllowed } from "../src/platform/outbound-http";
import { WebhookReceiver } from "./support/webhook-receiver";

describe("address classifier", () => {
  test.each([
    ["127.0.0.1", "loopback"],
    ["127.255.0.9", "loopback"],
    ["10.0.0.1", "private"],
    ["172.16.5.4", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["100.64.0.1", "carrierGradeNat"],
    ["100.127.255.254", "carrierGradeNat"],
    ["169.254.169.254", "linkLocal"],
    ["169.254.0.1", "linkLocal"],
    ["0.0.0.0", "unspecified"],
    ["224.0.0.251", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fe80::1", "linkLocal"],
    ["fc00::1", "uniqueLocal"],
    ["fd12:3456::1", "uniqueLocal"],
    ["ff02::1", "multicast"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:10.1.2.3", "private"],
    ["::ffff:169.254.169.254", "linkLocal"],
    ["::ffff:7f00:1", "loopback"],
    ["::127.0.0.1", "loopback"],
    ["::7f00:1", "ipv4Compatible"],
    ["::a00:1", "ipv4Compatible"],
    ["64:ff9b::a00:1", "rfc6052"],
    ["64:ff9b:1::a00:1", "rfc6052"],
    ["2002:a00:1::", "6to4"],
    ["not-an-address", "invalid"],
  ])("%s is refused as %s", (address, range) => {
    expect(refusedRange(address)).toBe(range);
  });

  test.each(["8.8.8.8", "1.1.1.1", "93.184.216.34", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111", "2a00:1450:4001:80b::200e", "::ffff:8.8.8.8"])("%s is public and allowed", (address) => {
    expect(refusedRange(address)).toBeNull();
  });
});

describe("resolution", () => {
  const answers = (...addresses: string[]) => async () => addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));

  test("every address a name resolves to is judged: one internal answer among public ones refuses the name", async () => {
    await expect(resolveAllowed("mixed.example", { allowPrivate: false, resolve: answers("93.184.216.34", "10.0.0.7") })).rejects.toThrow(
      new TargetRefusedError("mixed.example", "10.0.0.7", "private"),
    );
    await expect(resolveAllowed("metadata.example", { allowPrivate: false, resolve: answers("169.254.169.254") })).rejects.toThrow(/169\.254\.169\.254 \(linkLocal\)/);
    await expect(resolveAllowed("public.example", { allowPrivate: false, resolve: answers("93.184.216.34", "2606:4700::6810:84e5") })).resolves.toEqual({ address: "93.184.216.34", family: 4 });
  });

  test("literal addresses (IPv6 in brackets too) are judged without DNS; the allowance lets internal ones through", async () => {
    const noDns = async () => {
      throw new Error("DNS must not be asked for a literal address");
    };
    await expect(resolveAllowed("[::1]", { allowPrivate: false, resolve: noDns })).rejects.toThrow(/::1 \(loopback\)/);
    await expect(resolveAllowed("127.0.0.1", { allowPrivate: true, resolve: noDns })).resolves.toEqual({ address: "127.0.0.1", family: 4 });
  });

  test("localhost through the real resolver is refused", async () => {
    await expect(resolveAllowed("localhost", { allowPrivate: false })).rejects.toBeInstanceOf(TargetRefusedError);
  });
});

describe("guarded POST", () => {
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
  });
  afterAll(() => receiver.stop());
  const port = () => new URL(receiver.url).port;
  const opts = { allowPrivate: true, timeoutMs: 2000, maxResponseBytes: 1024 };

  test("a loopback target is refused before any connection when the allowance is off", async () => {
    const before = receiver.received.length;
    await expect(guardedPost(new URL(`http://localhost:${port()}/refused`), {}, "{}", { ...opts, allowPrivate: false })).rejects.toBeInstanceOf(TargetRefusedError);
    await expect(guardedPost(new URL(`http://127.0.0.1:${port()}/refused`), {}, "{}", { ...opts, allowPrivate: false })).rejects.toThrow(/127\.0\.0\.1 \(loopback\)/);
    expect(receiver.received.length).toBe(before);
  });

  test("a port outside the allowed list is refused before DNS or any connection; a listed port or any goes through", async () => {
    let lookups = 0;
    const resolve = async () => {
      lookups += 1;
      return [{ address: "127.0.0.1", family: 4 }];
    };
    const before = receiver.received.length;
    const url = new URL(`http://ports.invalid:${port()}/ports`);
    const refused = guardedPost(url, {}, "{}", { ...opts, resolve, ports: [443] });
    await expect(refused).rejects.toBeInstanceOf(PortRefusedError);
    await expect(refused).rejects.toThrow(`ports.invalid port ${port()} is not allowed: callback URLs must use port 443 (WEBHOOK_PORTS); the platform's network policy allows only these`);
    expect(lookups).toBe(0);
    expect(receiver.received.length).toBe(before);
    // The same request with its port listed, or with "any", reaches the receiver.
    await expect(guardedPost(url, {}, "{}", { ...opts, resolve, ports: [443, Number(port())] })).resolves.toMatchObject({ status: 204 });
    await expect(guardedPost(url, {}, "{}", { ...opts, resolve, ports: "any" })).resolves.toMatchObject({ status: 204 });
    expect(receiver.on("/ports")).toHaveLength(2);
  });

  test("the connection goes to the address that was checked: a name only the checker's resolver knows still connects there", async () => {
    // No real DNS knows this name: reaching the receiver proves the socket used the checked answer, not a new lookup.
    let lookups = 0;
    const resolve = async () => {
      lookups += 1;
      return [{ address: "127.0.0.1", family: 4 }];
    };
    const res = await guardedPost(new URL(`http://pinned.invalid:${port()}/pinned`), { "x-test": "1" }, '{"a":1}', { ...opts, resolve });
    expect(res).toMatchObject({ status: 204, address: "127.0.0.1" });
    expect(lookups).toBe(1);
    expect(receiver.on("/pinned")).toHaveLength(1);
    expect(receiver.on("/pinned")[0].headers.host).toBe(`pinned.invalid:${port()}`);
  });

  test("redirects are not followed: the 3xx is the answer", async () => {
    const res = await guardedPost(new URL(receiver.script("/moved", [302])), {}, "{}", opts);
    expect(res.status).toBe(302);
    expect(receiver.on("/redirected")).toHaveLength(0);
  });

  test("a silent receiver times out; a huge answer is cut at the limit", async () => {
    const started = Date.now();
    await expect(guardedPost(new URL(receiver.script("/hang", ["hang"])), {}, "{}", { ...opts, timeoutMs: 300 })).rejects.toThrow(/timed out/);
    expect(Date.now() - started).toBeLessThan(5000);

    // Headers and part of a body, then nothing: the deadline still ends the attempt.
    const stalls: Server = createServer((_req, res) => {
      res.writeHead(200);
      res.write("partial");
    });
    await new Promise<void>((r) => stalls.listen(0, "127.0.0.1", r));
    try {
      await expect(guardedPost(new URL(`http://127.0.0.1:${(stalls.address() as AddressInfo).port}/`), {}, "{}", { ...opts, timeoutMs: 300 })).rejects.toThrow(/timed out/);
    } finally {
      stalls.closeAllConnections();
      await new Promise((r) => stalls.close(r));
    }

    const big: Server = createServer((_req, res) => {
      res.writeHead(200);
      const chunk = Buffer.alloc(64 * 1024, 97);
      const pump = () => {
        while (res.write(chunk));
      };
      res.on("drain", pump);
      pump();
    });
    await new Promise<void>((r) => big.listen(0, "127.0.0.1", r));
    try {
      const res = await guardedPost(new URL(`http://127.0.0.1:${(big.address() as AddressInfo).port}/`), {}, "{}", opts);
      expect(res.status).toBe(200);
      expect(res.body.length).toBe(1024);
    } finally {
      big.closeAllConnections();
      await new Promise((r) => big.close(r));
    }
  });
});
