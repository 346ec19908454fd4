/**
 * Which AWS APIs the app's workloads reach over the network, derived from the calls the app declares
 * (app/src/contract.json `awsCalls`), so the network gives each one a path.
 *
 * Pods reach AWS APIs only inside the VPC: their NetworkPolicies allow 443 to the VPC CIDR, never to the
 * internet, so every API a workload calls needs an interface endpoint (with private DNS) in every tier. Dev
 * gets just those; prod gets them all (ECR and CloudWatch Logs too, for the nodes).
 */
import APP_CONTRACT from "../app/src/contract.json";

/**
 * Endpoint service of each IAM action prefix the app uses; null where the action is not an API call over the
 * network (`rds-db:connect` and `elasticache:Connect` authorise connections to the database and the cache, and
 * Secrets Manager calls KMS on the caller's behalf).
 */
export const ENDPOINT_OF_ACTION_PREFIX: Readonly<Record<string, string | null>> = {
    sqs: "sqs",
    secretsmanager: "secretsmanager",
    sts: "sts",
    kms: null,
    "rds-db": null,
    elasticache: null,
};

/** The endpoint services one entry point of the app needs: STS (IRSA exchanges the pod's token there) and its APIs. */
export function endpointServicesOf(entryPoint: string, contract: { awsCalls: Record<string, Record<string, string[]>> } = APP_CONTRACT): string[] {
    const calls = contract.awsCalls[entryPoint];
    if (!calls) throw new Error(`app/src/contract.json has no awsCalls entry '${entryPoint}'`);
    const out = new Set<string>(["sts"]);
    for (const action of Object.values(calls).flat()) {
        const prefix = action.split(":")[0];
        if (!(prefix in ENDPOINT_OF_ACTION_PREFIX)) {
            throw new Error(`app/src/contract.json: the network path of '${action}' is unknown. Fix: add '${prefix}' to ENDPOINT_OF_ACTION_PREFIX in infra/awsPaths.ts`);
        }
        const endpoint = ENDPOINT_OF_ACTION_PREFIX[prefix];
        if (endpoint) out.add(endpoint);
    }
    return [...out].sort();
}

/** The endpoint services every workload of the app needs together. */
export function workloadEndpointServices(contract: { awsCalls: Record<string, Record<string, string[]>> } = APP_CONTRACT): string[] {
    return [...new Set(Object.keys(contract.awsCalls).flatMap((e) => endpointServicesOf(e, contract)))].sort();
}
