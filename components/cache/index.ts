export * from "./args";
export * from "./cache";
