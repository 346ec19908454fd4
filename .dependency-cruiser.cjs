/**
 * Layering of the platform code (`npm run lint:deps`, part of `npm run lint`). What may import what:
 * - components are the reusable library: they never import the program (infra/, stacks/), the tools or the packs;
 * - each policy pack loads and publishes from its own folder: it imports only its own files, npm packages and
 *   @groundwork/policy-kit (never components/, infra/ or the other pack);
 * - the policy kit is a package of its own: only its files and npm packages;
 * - the platform program (infra/, stacks/) never imports tools, packs or tests;
 * - the component package (provider/) imports only components/ and npm packages, and nothing imports it;
 * - the reference app (app/) never imports platform code, and the platform never imports the app's code
 *   (infra/ reads only the app's declared contract, app/src/contract.json).
 * Paths are relative to the directory depcruise runs in (the repository root, or a test fixture laid out the
 * same way: test/fixtures/layering).
 * @type {import('dependency-cruiser').IConfiguration}
 */
const PLATFORM = "^(components|infra|stacks|tools|policies|packages|provider)/";

module.exports = {
  forbidden: [
    {
      name: "components-are-a-library",
      comment: "Components are imported by other projects: they cannot depend on this project's program, tools or packs.",
      severity: "error",
      from: { path: "^components/" },
      to: { path: "^(infra|stacks|tools|policies|test|app)/" },
    },
    {
      name: "packs-never-import-platform",
      comment: "A pack judges the components; importing them would let a component bug hide itself from its rule.",
      severity: "error",
      from: { path: "^policies/" },
      to: { path: "^(components|infra|stacks|tools|test|app)/" },
    },
    {
      name: "packs-are-self-contained",
      comment: "Each pack loads from a copy of its folder alone: only its own files, npm packages and the policy kit.",
      severity: "error",
      from: { path: "^policies/([^/]+)/" },
      to: { pathNot: ["^policies/$1/", "(^|/)node_modules/", "^packages/policy-kit/"] },
    },
    {
      name: "policy-kit-is-a-package",
      comment: "The kit is published on its own: only its files and npm packages.",
      severity: "error",
      from: { path: "^packages/policy-kit/" },
      to: { pathNot: ["^packages/policy-kit/", "(^|/)node_modules/"] },
    },
    {
      name: "program-is-not-tooling",
      comment: "The platform program runs under `pulumi up`: tools, packs and tests are not part of it.",
      severity: "error",
      from: { path: "^(infra|stacks)/" },
      to: { path: "^(tools|policies|test)/" },
    },
    {
      name: "app-never-imports-platform",
      comment: "The app is built into its own image from app/ alone.",
      severity: "error",
      from: { path: "^app/" },
      to: { path: PLATFORM },
    },
    {
      name: "platform-reads-only-the-app-contract",
      comment: "The platform depends on the app's declared contract, not on its code.",
      severity: "error",
      from: { path: PLATFORM },
      to: { path: "^app/", pathNot: "^app/src/contract\\.json$" },
    },
    {
      name: "provider-hosts-only-components",
      comment: "The component package (provider/) is launched by the engine from its own folder: its files, components/ and npm packages.",
      severity: "error",
      from: { path: "^provider/" },
      to: { pathNot: ["^provider/", "^components/", "(^|/)node_modules/"] },
    },
    {
      name: "nothing-imports-the-provider",
      comment: "Every class provider/ exports becomes a resource of the package; code that needs a component imports components/.",
      severity: "error",
      from: { pathNot: "^provider/" },
      to: { path: "^provider/" },
    },
    { name: "not-to-unresolvable", severity: "error", from: { path: PLATFORM }, to: { couldNotResolve: true } },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    exclude: { path: "(^|/)(dist|node_modules)/" },
    enhancedResolveOptions: { extensions: [".ts", ".js", ".mjs", ".cjs", ".json"], conditionNames: ["require", "node", "default", "import"] },
  },
};
