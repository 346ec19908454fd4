/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // Type-checking is done once by `npm run typecheck`; jest only transpiles (isolatedModules in tsconfig).
  transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] },
  testPathIgnorePatterns: ["/node_modules/", "/dist/", "/fixtures/"],
  testTimeout: 60000,
  // Every file starts its own PostgreSQL/Redis/SQS; two at a time on a 2-core machine.
  maxWorkers: 2,
};
