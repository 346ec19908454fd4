export * from "./args";
export * from "./cache";
export * from "./alarms";
