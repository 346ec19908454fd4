/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // Type-checking is done once by `npm run typecheck`; jest transpiles only (about 1 s per file instead of 6).
  transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] },
  testPathIgnorePatterns: ["/node_modules/", "/dist/", "/app/"],
  // Tests see the policy kit's source, so a change to it needs no `npm run build:kit` first.
  moduleNameMapper: { "^@groundwork/policy-kit$": "<rootDir>/packages/policy-kit/src/index.ts", "^@groundwork/policy-kit/facts$": "<rootDir>/packages/policy-kit/src/facts.ts" },
  // A guard against hangs, not a performance bound: planning a whole stack under mocks takes 10 s alone and three
  // times that on a busy two-core machine (the stacks grew with the alarms and telemetry).
  testTimeout: 120000,
  // Two workers on the two-core machines: 46 s instead of 57 s for the suite (most files are Pulumi-import bound).
  maxWorkers: 2,
};
