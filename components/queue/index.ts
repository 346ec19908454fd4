export * from "./args";
export * from "./queue";
