import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { buildDiagram, Diagram, dotEscape, hasDot, mergeLabels, mermaidEscape, namesArn, renderSvg, selects, SVG_SOURCE_MARK, toDot, toMermaid, verbsLabel } from "../../tools/plan/diagram";
import { withReadmeBlock } from "../../tools/plan/diagram-docs";
import edges from "../fixtures/programs/diagram/edges";
import { runPulumi } from "../support/pulumi";

/** The node of the resource with this logical name. */
function node(d: Diagram, name: string) {
    const n = d.nodes.find((x) => x.urn?.endsWith(`::${name}`));
    if (!n) throw new Error(`no node for ${name}: ${d.nodes.map((x) => x.urn).join(", ")}`);
    return n;
}

/** Edges as `from-name -kind-> to-name: label`, with external peers by their label. */
function edgeTexts(d: Diagram): string[] {
    const name = (id: string) => {
        const n = d.nodes.find((x) => x.id === id)!;
        return n.urn ? n.urn.split("::").pop() : `(${n.label[0]})`;
    };
    return d.edges.map((e) => `${name(e.from)} -${e.kind}-> ${name(e.to)}: ${e.label}`);
}

/**
 * A structural reading of the Mermaid text: every line is a comment, the header, a subgraph opening or `end`, a
 * node or an edge; quoted texts hold no raw quote; subgraphs balance; edges join declared nodes; ids are unique.
 */
function parseMermaid(text: string): { nodes: string[]; edges: [string, string, string][]; subgraphs: string[] } {
    const id = "[A-Za-z][A-Za-z0-9_]*";
    const quoted = '"[^"]*"';
    const nodeRe = new RegExp(`^(${id})(?:\\[${quoted}\\]|\\(\\[${quoted}\\]\\)|\\[\\(${quoted}\\)\\]|\\[\\[${quoted}\\]\\])$`);
    const edgeRe = new RegExp(`^(${id}) (-->|-\\.->|==>)\\|(${quoted})\\| (${id})$`);
    const subRe = new RegExp(`^subgraph (${id})\\[${quoted}\\]$`);
    const nodes: string[] = [];
    const edgesOut: [string, string, string][] = [];
    const subgraphs: string[] = [];
    let depth = 0;
    const lines = text.trimEnd().split("\n");
    expect(lines.filter((l) => !l.startsWith("%%"))[0]).toBe("flowchart LR");
    for (const raw of lines.slice(1)) {
        const line = raw.trim();
        if (line.startsWith("%%") || line === "flowchart LR") continue;
        let m: RegExpMatchArray | null;
        if ((m = line.match(subRe))) {
            subgraphs.push(m[1]);
            depth++;
        } else if (line === "end") {
            depth--;
            expect(depth).toBeGreaterThanOrEqual(0);
        } else if ((m = line.match(nodeRe))) {
            nodes.push(m[1]);
        } else if ((m = line.match(edgeRe))) {
            edgesOut.push([m[1], m[4], m[3]]);
        } else {
            throw new Error(`not a well-formed Mermaid line: ${raw}`);
        }
    }
    expect(depth).toBe(0);
    expect(new Set([...nodes, ...subgraphs]).size).toBe(nodes.length + subgraphs.length);
    for (const [from, to] of edgesOut) {
        expect(nodes).toContain(from);
        expect(nodes).toContain(to);
    }
    return { nodes, edges: edgesOut, subgraphs };
}

describe("plan tool: the stack diagram", () => {
    let diagram: Diagram;
    beforeAll(async () => {
        diagram = buildDiagram(await runPulumi(() => edges("base"), { stack: "dev" }));
    });

    it("draws the key resources inside their component, and leaves the rest out", () => {
        const shop = diagram.clusters.find((c) => c.label === "Shop: shop")!;
        expect(shop).toBeDefined();
        for (const name of ["shop-vpc", "shop-lb-sg", "shop-app-sg", "shop-orders", "shop-api-role", "shop-worker-role", "shop-assets", "shop-lb", "shop-cdn", "shop-web", "shop-api", "shop-api-allow"]) {
            expect(node(diagram, name).cluster).toBe(shop.id);
        }
        expect(node(diagram, "shop-vpc").label).toEqual(["VPC shop-vpc", "10.20.0.0/16 · 0 subnets"]);
        // rules, policies, providers and parameters are edges or nothing, not boxes
        for (const name of ["shop-app-from-lb", "shop-api-send", "k8s", "shop-token"]) expect(diagram.nodes.some((n) => n.urn?.endsWith(`::${name}`))).toBe(false);
    });

    it("draws a security group edge, a NetworkPolicy edge, IAM grants labelled producer and consumer, and CDN origins", () => {
        expect(edgeTexts(diagram).sort()).toEqual([
            "shop-api-role -iam-> shop-orders: producer: sqs:GetQueueAttributes, SendMessage",
            "shop-cdn -cdn-> shop-assets: origin assets",
            "shop-cdn -cdn-> shop-lb: origin api",
            "shop-lb-sg -network-> shop-app-sg: sg: tcp/8080",
            "shop-web -netpol-> shop-api: netpol api-allow: tcp/8080",
            "shop-worker-role -iam-> shop-orders: consumer: sqs:DeleteMessage, ReceiveMessage",
        ]);
        expect(diagram.edges.filter((e) => e.queue).map((e) => e.queue).sort()).toEqual(["consumer", "producer"]);
    });

    it("draws none of those edges for programs without them", async () => {
        for (const program of ["compliant", "open-ssh", "shared-queue"]) {
            const graph = await runPulumi(() => jest.isolateModules(() => require(`../fixtures/programs/${program}`)), { stack: "dev" });
            const d = buildDiagram(graph);
            expect(d.nodes.length).toBeGreaterThan(0);
            expect({ program, edges: d.edges }).toEqual({ program, edges: [] });
        }
    });

    it("reads the other ways of writing ingress and grants: inline rules, SecurityGroupRule, inline and attached policies", async () => {
        // GIVEN a group allowing another inline, one allowing itself and another through SecurityGroupRule, and
        // grants through a role's inline policy and through a customer-managed policy attached to a role
        const graph = await runPulumi(
            () => {
                const doc = (action: string, arn: pulumi.Output<string>) => arn.apply((a) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: action, Resource: `${a}/*` }] }));
                const assume = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] });
                const a = new aws.ec2.SecurityGroup("a-sg", { description: "a" });
                new aws.ec2.SecurityGroup("b-sg", { description: "b", ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, securityGroups: [a.id] }] });
                const c = new aws.ec2.SecurityGroup("c-sg", { description: "c" });
                new aws.ec2.SecurityGroupRule("c-from-a", { type: "ingress", securityGroupId: c.id, sourceSecurityGroupId: a.id, protocol: "tcp", fromPort: 6379, toPort: 6379 });
                new aws.ec2.SecurityGroupRule("c-self", { type: "ingress", securityGroupId: c.id, self: true, protocol: "-1", fromPort: 0, toPort: 0 });
                const bucket = new aws.s3.Bucket("files", {});
                new aws.iam.Role("reader", { assumeRolePolicy: assume, inlinePolicies: [{ name: "read", policy: doc("s3:GetObject", bucket.arn) }] });
                const writer = new aws.iam.Role("writer", { assumeRolePolicy: assume });
                const policy = new aws.iam.Policy("write", { policy: doc("s3:PutObject", bucket.arn) });
                new aws.iam.RolePolicyAttachment("writer-write", { role: writer.name, policyArn: policy.arn });
            },
            { stack: "dev" },
        );
        // THEN each is an edge
        expect(edgeTexts(buildDiagram(graph)).sort()).toEqual([
            "a-sg -network-> b-sg: sg: tcp/5432",
            "a-sg -network-> c-sg: sg: tcp/6379",
            "c-sg -network-> c-sg: sg: all traffic",
            "reader -iam-> files: iam: s3:GetObject",
            "writer -iam-> files: iam: s3:PutObject",
        ]);
    });

    it("in preview, draws the edges the dependency graph shows (IAM verbs then unknown)", async () => {
        const preview = buildDiagram(await runPulumi(() => edges("base"), { stack: "dev", preview: true }));
        expect(edgeTexts(preview).sort()).toEqual([
            "shop-api-role -iam-> shop-orders: iam: actions unknown in preview",
            "shop-cdn -cdn-> shop-assets: origin",
            "shop-cdn -cdn-> shop-lb: origin api",
            "shop-lb-sg -network-> shop-app-sg: sg: tcp/8080",
            "shop-web -netpol-> shop-api: netpol api-allow: tcp/8080",
            "shop-worker-role -iam-> shop-orders: iam: actions unknown in preview",
        ]);
    });

    it("is deterministic: the same program gives the same text, sorted, with ids from URNs", async () => {
        const again = buildDiagram(await runPulumi(() => edges("base"), { stack: "dev" }));
        expect(toMermaid(again)).toBe(toMermaid(diagram));
        expect(toDot(again)).toBe(toDot(diagram));
        expect(diagram.nodes.map((n) => n.id)).toEqual([...diagram.nodes.map((n) => n.id)].sort());
        expect(node(diagram, "shop-orders").id).toMatch(/^shop_orders_[0-9a-f]{6}$/);
    });

    it("writes Mermaid that is well-formed line by line, with every node and edge", () => {
        const parsed = parseMermaid(toMermaid(diagram));
        expect(parsed.nodes.sort()).toEqual(diagram.nodes.map((n) => n.id).sort());
        expect(parsed.edges).toHaveLength(diagram.edges.length);
        expect(parsed.edges).toContainEqual([node(diagram, "shop-lb-sg").id, node(diagram, "shop-app-sg").id, '"sg: tcp/8080"']);
        expect(parsed.subgraphs).toEqual([diagram.clusters[0].id]);
    });

    it("renders the DOT through Graphviz, the same SVG every time, with the DOT's hash in it", () => {
        if (!hasDot()) {
            console.warn("diagram.test: Graphviz's `dot` is not installed (apt-get install graphviz; tools/setup.sh does): the SVG rendering was not checked");
            return;
        }
        const dot = toDot(diagram);
        const svg = renderSvg(dot);
        expect(renderSvg(dot)).toBe(svg);
        expect(svg).toContain("<svg");
        expect(svg).toContain(SVG_SOURCE_MARK);
        expect(svg).not.toMatch(/Generated by graphviz version/);
        for (const n of diagram.nodes) expect(svg).toContain(`<title>${n.id}</title>`);
        expect(svg).toContain("origin assets");
    });

    it.each([
        ['a "quoted" <b> & #1 | x', "a #quot;quoted#quot; #lt;b#gt; #amp; #35;1 #124; x"],
        ["plain text", "plain text"],
        ["two\nlines", "two lines"],
    ])("escapes Mermaid label text %j", (text, escaped) => {
        expect(mermaidEscape(text)).toBe(escaped);
    });

    it.each([
        ['say "hi" \\ bye', 'say \\"hi\\" \\\\ bye'],
        ["two\nlines", "two lines"],
    ])("escapes DOT label text %j", (text, escaped) => {
        expect(dotEscape(text)).toBe(escaped);
    });

    it.each([
        ["arn:aws:sqs:us-east-1:1:q", "arn:aws:sqs:us-east-1:1:q", true],
        ["arn:aws:s3:::b/*", "arn:aws:s3:::b", true],
        ["arn:aws:secretsmanager:us-east-1:1:secret:db-??????", "arn:aws:secretsmanager:us-east-1:1:secret:db-AbCdEf", true],
        ["arn:aws:ec2:*:*:security-group/*", "arn:aws:ec2:us-east-1:1:security-group/sg-1", false],
        ["*", "arn:aws:sqs:us-east-1:1:q", false],
        ["arn:aws:sqs:us-east-1:1:q-dlq", "arn:aws:sqs:us-east-1:1:q", false],
    ])("a grant on %s names %s: %s", (pattern, arn, expected) => {
        expect(namesArn(pattern, arn)).toBe(expected);
    });

    it.each([
        [{ matchLabels: { app: "api" } }, { app: "api", tier: "x" }, true],
        [{ matchLabels: { app: "api" } }, { app: "web" }, false],
        [{}, { app: "web" }, true],
        [{ matchExpressions: [{ key: "app", operator: "In", values: ["api", "web"] }] }, { app: "web" }, true],
        [{ matchExpressions: [{ key: "app", operator: "DoesNotExist" }] }, { app: "web" }, false],
    ])("selector %j selects %j: %s", (selector, labels, expected) => {
        expect(selects(selector, labels)).toBe(expected);
    });

    it("merges labels of one edge and shortens verb lists", () => {
        expect(mergeLabels("sg: tcp/1025-65535", "sg: tcp/443")).toBe("sg: tcp/443, tcp/1025-65535");
        expect(verbsLabel(["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:SendMessage"])).toBe("sqs:GetQueueAttributes, SendMessage");
        expect(verbsLabel(["kms:Decrypt", "s3:GetObject"])).toBe("kms:Decrypt, s3:GetObject");
        expect(verbsLabel(["a:1", "a:2", "a:3", "a:4", "a:5", "a:6", "a:7"])).toBe("a:1, 2, 3, 4, 5 +2");
    });

    it("replaces the README's Mermaid block between its markers, and only that", () => {
        const readme = "intro\n<!-- diagram:dev:start (npm run docs:diagram) -->\nold\n<!-- diagram:dev:end -->\nrest\n";
        expect(withReadmeBlock(readme, "flowchart LR\n")).toBe(
            "intro\n<!-- diagram:dev:start (npm run docs:diagram) -->\n\n```mermaid\nflowchart LR\n```\n\n<!-- diagram:dev:end -->\nrest\n",
        );
        expect(withReadmeBlock("no markers", "x")).toBeNull();
    });
});
