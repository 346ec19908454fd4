export * from "./kmsKey";
export * from "./secret";
