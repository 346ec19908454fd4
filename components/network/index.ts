export * from "./args";
export * from "./cidr";
export * from "./documents";
export * from "./network";
export * from "./alarms";
