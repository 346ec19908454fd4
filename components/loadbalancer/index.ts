export * from "./args";
export * from "./alarms";
export * from "./loadBalancer";
