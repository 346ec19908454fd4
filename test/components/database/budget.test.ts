import { connectionBudget, proxyConnectionLimit, RESERVED_DB_CONNECTIONS } from "../../../components/database";

describe("connectionBudget: the pools of every pod at full scale fit what the database side serves", () => {
    it.each<[string, { maxConnections: number; proxyMaxConnectionsPercent?: number }, number, number, "proxy" | "instance"]>([
        ["an instance: max_connections less the reserve", { maxConnections: 901 }, 30, 29, "instance"],
        ["a proxy at 75%: its pinned maximum binds", { maxConnections: 1802, proxyMaxConnectionsPercent: 75 }, 30, 45, "proxy"],
        ["a proxy at 100%: the instance's reserve binds", { maxConnections: 1802, proxyMaxConnectionsPercent: 100 }, 100, 17, "instance"],
        ["capped at 50 per pod", { maxConnections: 5000, proxyMaxConnectionsPercent: 90 }, 30, 50, "proxy"],
    ])("%s", (_what, limits, pods, pool, binding) => {
        const b = connectionBudget({ ...limits, instanceClass: "db.x" }, pods);
        expect(b).toMatchObject({ poolSize: pool, binding });
        expect(b.poolSize * pods).toBeLessThanOrEqual(Math.min(limits.maxConnections - RESERVED_DB_CONNECTIONS, proxyConnectionLimit({ ...limits, instanceClass: "db.x" }) ?? Infinity));
    });

    it("refuses a scale the proxy cannot serve, with the numbers and which limit binds", () => {
        expect(() => connectionBudget({ maxConnections: 450, instanceClass: "db.t4g.medium", proxyMaxConnectionsPercent: 50 }, 300)).toThrow(
            "the RDS Proxy can open 225 database connections (50% of max_connections 450 on db.t4g.medium; the proxy binds, not the instance) but the app may run 300 pods, each needing at least one connection (300 > 225). Fix: choose a larger groundwork:dbInstanceClass",
        );
    });

    it("refuses a scale the instance cannot serve, saying the instance binds", () => {
        expect(() => connectionBudget({ maxConnections: 40, instanceClass: "db.t4g.micro" }, 31)).toThrow(/the database allows 40 connections on db\.t4g\.micro \(30 after the reserve of 10; the instance binds\) but the app may run 31 pods/);
    });
});
