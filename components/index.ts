// Public API of the Groundwork component library: one line per module.
export * from "./base";
export * from "./network";
export * from "./cdn";
export * from "./secrets";
export * from "./database";
export * from "./cache";
export * from "./queue";
export * from "./service";
export * from "./cluster";
export * from "./identity";
export * from "./registry";
export * from "./deploy";
export * from "./observe";
export * from "./telemetry";
export * from "./loadbalancer";
export * from "./mesh";
