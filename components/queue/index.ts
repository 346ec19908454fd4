export * from "./args";
export * from "./queue";
export * from "./alarms";
