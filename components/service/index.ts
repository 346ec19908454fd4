export * from "./types";
export * from "./args";
export * from "./image";
export * from "./isolation";
export * from "./manifests";
export * from "./service";
