export * from "./args";
export * from "./database";
export * from "./maxConnections";
export * from "./alarms";
export * from "./budget";
export * from "./auroraArgs";
export * from "./aurora";
export * from "./auroraAlarms";

