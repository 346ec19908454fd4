// Public API of the Groundwork component library: one line per module.
export * from "./base";
export * from "./network";
export * from "./secrets";
export * from "./database";
export * from "./cache";
export * from "./queue";
export * from "./cluster";
export * from "./identity";
export * from "./cdn";
