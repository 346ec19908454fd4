/**
 * Schema adapters: one `pulumi.ComponentResource` per Groundwork component, with an args interface the Pulumi schema
 * can express, generated from the components' own TypeScript (their args interfaces, TSDoc and `Output` fields).
 *
 * Why: `@pulumi/pulumi`'s component provider (provider/experimental) infers the package schema from TypeScript, and
 * it accepts only classes that extend `pulumi.ComponentResource` directly, args that are one interface, and
 * properties of primitive, array, map, `Input`/`Output`, interface, enum or resource types. Groundwork's components
 * extend `GroundworkComponent`, take literal unions (`natMode: "perAz" | "single" | "none"`), readonly arrays,
 * functions (`transform`) and resource or component objects. An adapter keeps each field the schema can express
 * (a literal union becomes a string or number documented with its values; the component still validates it), drops
 * the others (listed, with the reason, in {@link AdapterReport} and the README), and constructs the real component
 * as its only child, so a Go or Python program gets exactly the TypeScript component's resources and defaults.
 */
import * as path from "node:path";
import * as ts from "typescript";

/** Repository root (tools/sdk lives two levels down). */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** An input or output field of the real component that the adapter leaves out, and why. */
export interface DroppedField {
    /** Component class name. */
    component: string;
    /** Field name. */
    field: string;
    /** `input` (an args field) or `output` (a public field of the class). */
    kind: "input" | "output";
    /** The field's TypeScript type, as written. */
    type: string;
    /** Why the schema cannot carry it. */
    reason: string;
    /** True for a required input: the component cannot be adapted at all. */
    required: boolean;
}

/** One adapted component. */
export interface AdaptedComponent {
    /** Class name (the schema token is `groundwork:index:<name>`). */
    name: string;
    /** Input fields kept. */
    inputs: string[];
    /** Output fields kept. */
    outputs: string[];
}

/** What the generator produced: the source of provider/components.ts and the fields it left out. */
export interface AdapterReport {
    /** Source text of provider/components.ts. */
    source: string;
    /** Components with an adapter. */
    adapted: AdaptedComponent[];
    /** Components left out (a required input the schema cannot express), with the reason. */
    excluded: { name: string; reason: string }[];
    /** Fields left out of adapted and excluded components. */
    dropped: DroppedField[];
}

interface Field {
    name: string;
    optional: boolean;
    type: string;
    doc: string;
}

function docOf(checker: ts.TypeChecker, symbol: ts.Symbol): string {
    const text = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
    const dflt = symbol
        .getJsDocTags(checker)
        .filter((t) => t.name === "default")
        .map((t) => ts.displayPartsToString(t.text).trim())
        .filter((t) => t !== "");
    return [text, ...dflt.map((d) => `Default: ${d.replace(/^-\s*/, "").replace(/\s+/g, " ")}${/[.)`]$/.test(d) ? "" : "."}`)].filter((s) => s !== "").join("\n\n");
}

/** The values of a union of string or number literals, or undefined for any other type. */
function literalValues(type: ts.Type): (string | number)[] | undefined {
    const parts = type.isUnion() ? type.types : [type];
    const values: (string | number)[] = [];
    for (const t of parts) {
        if (t.isStringLiteral() || t.isNumberLiteral()) values.push(t.value);
        else if (!(t.flags & ts.TypeFlags.Undefined)) return undefined;
    }
    return values.length > 0 ? values : undefined;
}

function isResourceClass(checker: ts.TypeChecker, type: ts.Type): string | undefined {
    const seen = new Set<ts.Type>();
    const walk = (t: ts.Type): boolean => {
        if (seen.has(t)) return false;
        seen.add(t);
        const name = t.getSymbol()?.getName();
        if (name === "Resource" || name === "CustomResource" || name === "ComponentResource" || name === "ProviderResource") return true;
        return (t.isClassOrInterface() ? checker.getBaseTypes(t) : []).some(walk);
    };
    const sym = type.getSymbol();
    return sym && type.isClassOrInterface() && walk(type) ? sym.getName() : undefined;
}

type Mapped = { type: string; note?: string } | { reason: string } | { provider: string };

/** Nested interfaces the adapters declare (by name), and the fields they leave out. */
interface NestedContext {
    root: string;
    component: string;
    declared: Map<string, string>;
    dropped: DroppedField[];
}

/**
 * Maps a field's declared type node to a schema-friendly TypeScript type, or the reason it has none. `inInput`
 * is true inside `pulumi.Input<...>`.
 */
function mapType(checker: ts.TypeChecker, node: ts.TypeNode, ctx: NestedContext, inInput = false, nameHint = ""): Mapped {
    const text = node.getText();
    if (node.kind === ts.SyntaxKind.StringKeyword) return { type: "string" };
    if (node.kind === ts.SyntaxKind.NumberKeyword) return { type: "number" };
    if (node.kind === ts.SyntaxKind.BooleanKeyword) return { type: "boolean" };
    if (ts.isParenthesizedTypeNode(node)) return mapType(checker, node.type, ctx, inInput, nameHint);
    if (ts.isTypeOperatorNode(node) && node.operator === ts.SyntaxKind.ReadonlyKeyword) return mapType(checker, node.type, ctx, inInput, nameHint);
    if (ts.isArrayTypeNode(node)) {
        const el = mapType(checker, node.elementType, ctx, false, nameHint);
        if ("provider" in el) return { reason: "a list of provider objects" };
        if ("reason" in el) return { reason: `a list of ${el.reason}` };
        // Object items are Inputs: Go's generator declares a plain list of plain objects with element types it
        // only generates for Inputs (`[]AlertSubscriptionArgs`, undefined), so the SDK would not compile.
        const item = ctx.declared.has(el.type) ? `pulumi.Input<${el.type}>` : el.type;
        return { type: `${item.includes("|") ? `(${item})` : item}[]`, note: el.note };
    }
    if (ts.isFunctionTypeNode(node)) return { reason: "a function, which cannot cross the language boundary" };
    if (ts.isTypeLiteralNode(node)) {
        if (!nameHint) return { reason: "an inline object type, which the schema inference does not name" };
        return nestedInterface(checker, nameHint, checker.getTypeFromTypeNode(node), ctx);
    }
    if (ts.isTypeReferenceNode(node)) {
        const name = node.typeName.getText();
        const args = node.typeArguments ?? [];
        if ((name === "pulumi.Input" || name === "Input") && args.length === 1) {
            const inner = mapType(checker, args[0], ctx, true, nameHint);
            if ("reason" in inner || "provider" in inner) return inner;
            return { type: `pulumi.Input<${inner.type}>`, note: inner.note };
        }
        if (name === "Record" && args.length === 2 && args[0].kind === ts.SyntaxKind.StringKeyword) {
            const v = mapType(checker, args[1], ctx, false, nameHint);
            if ("reason" in v) return { reason: `a map of ${v.reason}` };
            if ("provider" in v) return { reason: "a map of provider objects" };
            return { type: `Record<string, ${ctx.declared.has(v.type) ? `pulumi.Input<${v.type}>` : v.type}>` };
        }
        if (name === "Readonly" && args.length === 1) return mapType(checker, args[0], ctx, inInput, nameHint);
        if (name === "Tags") return { type: "Record<string, string>" };
        const type = checker.getTypeFromTypeNode(node);
        const values = literalValues(type);
        if (values) {
            const kind = typeof values[0] === "number" ? "number" : "string";
            if (values.some((v) => typeof v !== kind)) return { reason: "a union of string and number literals" };
            return { type: kind, note: `One of ${values.map((v) => `\`${v}\``).join(", ")} (TypeScript type \`${name}\`).` };
        }
        const resource = isResourceClass(checker, type);
        const from = type.getSymbol()?.declarations?.[0]?.getSourceFile().fileName ?? "";
        if (resource === "Provider" && from.includes("/@pulumi/kubernetes/")) return { provider: "kubernetes" };
        if (resource) return { reason: `a resource or component object (\`${resource}\`), which the adapters do not pass across languages` };
        if (type.getCallSignatures().length > 0) return { reason: "a function, which cannot cross the language boundary" };
        if (name.endsWith("Transforms") || name.startsWith("Transform")) return { reason: "an object of functions (the `transform` escape hatch), which cannot cross the language boundary" };
        if (type.isUnion()) return { reason: `a union type (\`${text}\`), which the schema inference rejects` };
        const declaredInComponents = type.getSymbol()?.declarations?.some((d) => d.getSourceFile().fileName.startsWith(path.join(ctx.root, "components")));
        if (type.isClassOrInterface() && !type.isClass() && declaredInComponents && args.length === 0) return nestedInterface(checker, name, type, ctx);
        if (type.isClassOrInterface() || type.flags & ts.TypeFlags.Object) return { reason: `a nested object type (\`${text}\`) the adapters do not express` };
    }
    if (ts.isUnionTypeNode(node)) {
        const values = literalValues(checker.getTypeFromTypeNode(node));
        if (values && values.every((v) => typeof v === typeof values[0])) {
            return { type: typeof values[0] === "number" ? "number" : "string", note: `One of ${values.map((v) => `\`${v}\``).join(", ")}.` };
        }
        return { reason: `a union type (\`${text}\`), which the schema inference rejects` };
    }
    return { reason: `a type the schema inference does not express (\`${text}\`)` };
}

/**
 * Declares (once) a schema-friendly copy of an object type of components/: its mappable fields with their docs.
 * A required field it cannot map makes the whole type unmappable; optional ones are dropped and reported.
 */
function nestedInterface(checker: ts.TypeChecker, name: string, type: ts.Type, ctx: NestedContext): Mapped {
    if (ctx.declared.has(name)) return ctx.declared.get(name) === "" ? { reason: `a recursive object type (\`${name}\`)` } : { type: name };
    if (type.getCallSignatures().length > 0) return { reason: "a function, which cannot cross the language boundary" };
    ctx.declared.set(name, "");
    let body = "";
    for (const prop of type.getProperties()) {
        const node = typeNodeOf(prop);
        const optional = (prop.flags & ts.SymbolFlags.Optional) !== 0;
        const isMethod = prop.valueDeclaration && ts.isMethodSignature(prop.valueDeclaration);
        const mapped: Mapped = isMethod ? { reason: "a method" } : node ? mapType(checker, node, ctx, false, `${name}${capitalize(prop.getName())}`) : { reason: "no declared type" };
        if ("reason" in mapped || "provider" in mapped) {
            const reason = "reason" in mapped ? mapped.reason : "a provider object";
            if (!optional) {
                ctx.declared.delete(name);
                return { reason: `an object type (\`${name}\`) whose required field \`${prop.getName()}\` is ${reason}` };
            }
            ctx.dropped.push({ component: ctx.component, field: `${name}.${prop.getName()}`, kind: "input", type: node?.getText() ?? "?", reason, required: false });
            continue;
        }
        body += docComment([docOf(checker, prop), mapped.note].filter(Boolean).join("\n\n") || `\`${prop.getName()}\` of \`${name}\`.`, "    ");
        body += `    readonly ${prop.getName()}${optional ? "?" : ""}: ${mapped.type};\n`;
    }
    if (body === "") {
        ctx.declared.delete(name);
        return { reason: `an object type (\`${name}\`) none of whose fields the schema can express` };
    }
    const doc = type.getSymbol() ? docOf(checker, type.getSymbol()!) : "";
    ctx.declared.set(name, docComment(doc && !doc.startsWith("Default") ? doc : `\`${name}\` (components/), as the schema can express it.`, "") + `export interface ${name} {\n${body}}\n`);
    return { type: name };
}

function capitalize(s: string): string {
    return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The single declared type node of a property symbol, when it has one. */
function typeNodeOf(symbol: ts.Symbol): ts.TypeNode | undefined {
    const d = symbol.valueDeclaration ?? symbol.declarations?.[0];
    return d && (ts.isPropertySignature(d) || ts.isPropertyDeclaration(d)) ? d.type : undefined;
}

function isGroundworkComponent(checker: ts.TypeChecker, decl: ts.ClassDeclaration): boolean {
    let t: ts.Type | undefined = checker.getTypeAtLocation(decl);
    const seen = new Set<ts.Type>();
    while (t && !seen.has(t)) {
        seen.add(t);
        if (t.getSymbol()?.getName() === "GroundworkComponent") return true;
        t = (t.isClassOrInterface() ? checker.getBaseTypes(t) : [])[0];
    }
    return false;
}

function docComment(text: string, indent: string): string {
    const lines = text.replace(/\*\//g, "*\\/").split("\n");
    if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`;
    return `${indent}/**\n${lines.map((l) => `${indent} *${l ? ` ${l}` : ""}`).join("\n")}\n${indent} */\n`;
}

/** Reads the components' TypeScript (components/index.ts and what it exports) and builds the adapters. */
export function buildAdapters(root = REPO_ROOT): AdapterReport {
    const configPath = path.join(root, "tsconfig.json");
    const config = ts.readConfigFile(configPath, ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
    const entry = path.join(root, "components", "index.ts");
    const program = ts.createProgram({ rootNames: [entry], options: { ...parsed.options, noEmit: true } });
    const checker = program.getTypeChecker();
    const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
    const baseFile = path.join(root, "components", "base.ts");

    const classes: ts.ClassDeclaration[] = [];
    for (const exp of checker.getExportsOfModule(moduleSymbol)) {
        const sym = exp.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exp) : exp;
        const decl = sym.declarations?.find(ts.isClassDeclaration);
        if (!decl || !decl.name) continue;
        if (decl.modifiers?.some((m) => m.kind === ts.SyntaxKind.AbstractKeyword)) continue;
        if (isGroundworkComponent(checker, decl)) classes.push(decl);
    }
    classes.sort((a, b) => a.name!.text.localeCompare(b.name!.text));

    const adapted: AdaptedComponent[] = [];
    const excluded: { name: string; reason: string }[] = [];
    const dropped: DroppedField[] = [];
    const chunks: string[] = [];
    const declared = new Map<string, string>();

    for (const cls of classes) {
        const name = cls.name!.text;
        const ctx: NestedContext = { root, component: name, declared, dropped: [] };
        const ctor = cls.members.find(ts.isConstructorDeclaration)!;
        const argsParam = ctor.parameters.find((p) => p.name.getText() === "args")!;
        const argsTypeName = argsParam.type!.getText();
        const argsType = checker.getTypeFromTypeNode(argsParam.type!);
        const inputs: Field[] = [];
        const providers: { field: string; pkg: string; optional: boolean }[] = [];
        const droppedHere: DroppedField[] = [];
        let blocking: string | undefined;
        for (const prop of argsType.getProperties()) {
            const node = typeNodeOf(prop);
            const optional = (prop.flags & ts.SymbolFlags.Optional) !== 0;
            const mapped: Mapped = node ? mapType(checker, node, ctx, false, `${name}${capitalize(prop.getName())}`) : { reason: "no declared type" };
            if ("provider" in mapped) {
                providers.push({ field: prop.getName(), pkg: mapped.provider, optional });
                continue;
            }
            if ("reason" in mapped) {
                droppedHere.push({ component: name, field: prop.getName(), kind: "input", type: node?.getText() ?? "?", reason: mapped.reason, required: !optional });
                if (!optional) blocking ??= `required input \`${prop.getName()}\` is ${mapped.reason}`;
                continue;
            }
            inputs.push({ name: prop.getName(), optional, type: mapped.type, doc: [docOf(checker, prop), mapped.note].filter(Boolean).join("\n\n") });
        }
        dropped.push(...droppedHere, ...ctx.dropped);
        if (blocking) {
            excluded.push({ name, reason: blocking });
            continue;
        }

        const outputs: (Field & { plain: boolean })[] = [];
        const instance = checker.getTypeAtLocation(cls);
        for (const prop of instance.getProperties()) {
            const decl = prop.valueDeclaration;
            if (!decl || !ts.isPropertyDeclaration(decl) || !decl.type) continue;
            const file = decl.getSourceFile().fileName;
            // The base class's own fields (baseName, tags) are the caller's name and tags: nothing to report.
            if (!file.startsWith(path.join(root, "components")) || file === baseFile) continue;
            if (decl.modifiers?.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword)) continue;
            let node: ts.TypeNode = decl.type;
            let maybe = decl.questionToken !== undefined;
            if (ts.isUnionTypeNode(node)) {
                const rest = node.types.filter((t) => t.kind !== ts.SyntaxKind.UndefinedKeyword);
                maybe ||= rest.length < node.types.length;
                if (rest.length === 1) node = rest[0];
            }
            const isOutput = ts.isTypeReferenceNode(node) && /^(pulumi\.)?Output$/.test(node.typeName.getText()) && node.typeArguments?.length === 1;
            let inner = isOutput ? (node as ts.TypeReferenceNode).typeArguments![0] : node;
            if (ts.isUnionTypeNode(inner)) {
                const rest = inner.types.filter((t) => t.kind !== ts.SyntaxKind.UndefinedKeyword);
                if (rest.length === 1 && rest.length < inner.types.length) {
                    maybe = true;
                    inner = rest[0];
                }
            }
            const mapped = mapType(checker, inner, ctx, false, `${name}${capitalize(prop.getName())}`);
            if ("reason" in mapped || "provider" in mapped) {
                const reason = "reason" in mapped ? mapped.reason : "a provider object";
                dropped.push({ component: name, field: prop.getName(), kind: "output", type: decl.type.getText(), reason: isOutput ? reason : `a plain field that is ${reason}`, required: false });
                continue;
            }
            outputs.push({ name: prop.getName(), optional: maybe, plain: !isOutput, type: mapped.type.replace(/^pulumi\.Input<(.*)>$/, "$1"), doc: [docOf(checker, prop), mapped.note].filter(Boolean).join("\n\n") });
        }

        const classDoc = docOf(checker, checker.getSymbolAtLocation(cls.name!)!);
        let s = "";
        s += docComment(`Inputs of {@link ${name}}: the schema-friendly fields of \`${argsTypeName}\` (components/).`, "");
        s += `export interface ${name}Args {\n`;
        for (const f of inputs) {
            s += docComment(f.doc || `\`${f.name}\` of \`${argsTypeName}\`.`, "    ");
            s += `    readonly ${f.name}${f.optional ? "?" : ""}: ${f.type};\n`;
        }
        s += "}\n\n";
        const providerNote = providers.length
            ? `\n\nThe Kubernetes provider (${providers.map((p) => `\`${p.field}\``).join(", ")} in TypeScript) is the one given in the resource options' \`providers\`.`
            : "";
        s += docComment(`${classDoc}${providerNote}\n\nSchema adapter: declares the TypeScript component \`${name}\` (components/) as its only child.`, "");
        s += `export class ${name} extends pulumi.ComponentResource {\n`;
        for (const f of outputs) {
            s += docComment(f.doc || `\`${f.name}\` of the component.`, "    ");
            s += `    public readonly ${f.name}: pulumi.Output<${f.type}${f.optional ? " | undefined" : ""}>;\n`;
        }
        s += `\n    constructor(name: string, args: ${name}Args, opts?: pulumi.ComponentResourceOptions) {\n`;
        s += `        super("groundwork:index:${name}", name, {}, opts);\n`;
        const extra = providers.map((p) => ` ${p.field}: providerFrom(opts, "${p.pkg}", "${name}", ${p.optional})`).join(",");
        s += `        // Literal unions arrive as strings: the component validates them as it does for TypeScript callers.\n`;
        s += `        const component = new gw.${name}(name, { ...(args ?? {}),${extra} } as unknown as gw.${argsTypeName}, { parent: this });\n`;
        for (const f of outputs) {
            // The adapters' copies of object types have mutable arrays where the component's are readonly: same data.
            const simple = /^(string|number|boolean)(\[\])?$|^Record<string, (string|number|boolean)>$/.test(f.type);
            const value = f.plain || f.optional ? `pulumi.output(component.${f.name})` : `component.${f.name}`;
            s += `        this.${f.name} = ${simple ? value : `${value} as unknown as pulumi.Output<${f.type}${f.optional ? " | undefined" : ""}>`};\n`;
        }
        s += `        this.registerOutputs({${outputs.map((f) => ` ${f.name}: this.${f.name}`).join(",")}${outputs.length ? " " : ""}});\n`;
        s += "    }\n}\n";
        chunks.push(s);
        adapted.push({ name, inputs: inputs.map((f) => f.name), outputs: outputs.map((f) => f.name) });
    }

    const header = [
        "// GENERATED by `npm run sdk:schema` (tools/sdk/adapters.ts) from components/: do not edit.",
        "// Schema adapters of Groundwork's components for the component provider (see tools/sdk/adapters.ts).",
        'import * as pulumi from "@pulumi/pulumi";',
        'import * as gw from "../components";',
        'import { providerFrom } from "./providers";',
        "",
        "",
    ].join("\n");
    const nested = [...declared.values()].filter((v) => v !== "").join("\n");
    return { source: header + nested + (nested ? "\n" : "") + chunks.join("\n"), adapted, excluded, dropped };
}

/** The README table of what the adapters leave out (between the sdk-adapters markers). */
export function renderDroppedTable(report: AdapterReport): string {
    const rows = [
        "| Component | Field | TypeScript type | Why it is not in the schema |",
        "|---|---|---|---|",
        ...report.excluded.map((e) => `| \`${e.name}\` | (whole component) | | ${e.reason}: the component is not in the package |`),
        ...report.dropped.map((d) => `| \`${d.component}\` | ${d.kind} \`${d.field}\`${d.required ? " (required)" : ""} | \`${d.type.replace(/\|/g, "\\|").replace(/\s+/g, " ")}\` | ${d.reason.replace(/\|/g, "\\|")} |`),
    ];
    return rows.join("\n");
}
