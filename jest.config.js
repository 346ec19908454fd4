/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // Type-checking is done once by `npm run typecheck`; jest transpiles only (PULUMI-OFFLINE.md: ~1 s per file vs ~6 s).
  transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] },
  testPathIgnorePatterns: ["/node_modules/", "/dist/", "/app/"],
  testTimeout: 30000,
  // Two workers on the two-core machines: 46 s instead of 57 s for the suite (most files are Pulumi-import bound).
  maxWorkers: 2,
};
