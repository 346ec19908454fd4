export * from "./alarms";
export * from "./alertTopic";
export * from "./health";
