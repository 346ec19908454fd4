/**
 * Groundwork's component package: the engine runs this folder (PulumiPlugin.yaml) and `@pulumi/pulumi`'s
 * component provider hosts every component class exported here, inferring the schema from their TypeScript.
 * The classes are schema adapters generated from components/ (tools/sdk/adapters.ts); nothing else may be exported
 * as a class, since every exported ComponentResource subclass becomes a resource of the package.
 */
export * from "./components";
