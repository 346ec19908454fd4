// Public API of the cdn module.
export * from "./args";
export * from "./documents";
export * from "./webAcl";
export * from "./cdn";
export * from "./staticSite";
export * from "./alarms";
