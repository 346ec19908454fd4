export * from "./statements";
export * from "./trust";
export * from "./managedPolicies";
export * from "./workloadIdentity";
