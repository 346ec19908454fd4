/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // Type-checking is done once by `npm run typecheck`; jest transpiles only (PULUMI-OFFLINE.md: ~1 s per file vs ~6 s).
  transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] },
  testPathIgnorePatterns: ["/node_modules/", "/dist/", "/app/"],
  testTimeout: 30000,
};
