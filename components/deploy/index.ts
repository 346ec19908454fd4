export * from "./args";
export * from "./documents";
export * from "./deployRunner";
