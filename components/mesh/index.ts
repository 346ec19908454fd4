export * from "./constants";
export * from "./versions";
export * from "./mesh";
