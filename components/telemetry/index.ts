export * from "./versions";
export * from "./documents";
export * from "./dashboards";
export * from "./telemetry";
