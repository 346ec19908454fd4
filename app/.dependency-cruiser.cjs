/**
 * Module boundaries of the reference app (`npm run lint`, part of `npm test`).
 * - a domain module imports another module only through that module's `index.ts` (its public interface);
 * - platform adapters never import domain modules;
 * - production code never imports devDependencies (the image carries production dependencies only);
 * - no cycles, nothing unresolvable.
 * Paths are relative to the directory depcruise runs in (app/, or a test fixture laid out the same way).
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: "no-cross-module-internals",
      comment: "Modules call each other only through the other module's index.ts.",
      severity: "error",
      from: { path: "^src/modules/([^/]+)/" },
      to: { path: "^src/modules/([^/]+)/", pathNot: ["^src/modules/$1/", "^src/modules/[^/]+/index\\.ts$"] },
    },
    {
      name: "platform-is-domain-free",
      comment: "Shared adapters must not depend on any domain module.",
      severity: "error",
      from: { path: "^src/platform/" },
      to: { path: "^src/modules/" },
    },
    {
      name: "no-test-or-tools-in-src",
      comment: "Shipped code must not import test helpers, tools, scripts or benchmarks.",
      severity: "error",
      from: { path: "^src/" },
      to: { path: "^(test|tools|scripts|bench)/" },
    },
    {
      name: "not-to-dev-dep",
      comment: "The image installs production dependencies only.",
      severity: "error",
      from: { path: "^src/" },
      to: { dependencyTypes: ["npm-dev"], dependencyTypesNot: ["type-only"] },
    },
    { name: "no-circular", severity: "error", from: {}, to: { circular: true } },
    { name: "not-to-unresolvable", severity: "error", from: {}, to: { couldNotResolve: true } },
    {
      name: "no-non-package-json",
      severity: "error",
      from: {},
      to: { dependencyTypes: ["npm-no-pkg", "npm-unknown"] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    exclude: { path: "(^|/)dist/" },
    enhancedResolveOptions: { extensions: [".ts", ".js", ".mjs", ".cjs", ".json"], conditionNames: ["require", "node", "default", "import"] },
  },
};
