export * from "./args";
export * from "./database";
export * from "./maxConnections";
export * from "./alarms";
