import { INSTANCE_CLASS_MEMORY_GIB, instanceClassMemoryGib, postgresMaxConnections } from "../../../components/database";

describe("postgresMaxConnections: LEAST(DBInstanceClassMemory/9531392, 5000)", () => {
    it.each<[string, number, number]>([
        ["db.t4g.micro", 1, 112],
        ["db.t4g.small", 2, 225],
        ["db.t3.medium", 4, 450],
        ["db.t4g.medium", 4, 450],
        ["db.t4g.large", 8, 901],
        ["db.m7g.large", 8, 901],
        ["db.m6i.xlarge", 16, 1802],
        ["db.r7g.large", 16, 1802],
        ["db.m8g.2xlarge", 32, 3604],
        ["db.r6g.xlarge", 32, 3604],
        ["db.m7g.4xlarge", 64, 5000],
        ["db.r7g.2xlarge", 64, 5000],
        ["db.x2g.large", 32, 3604],
    ])("%s (%i GiB) allows %i connections", (cls, gib, connections) => {
        expect(instanceClassMemoryGib(cls)).toBe(gib);
        expect(postgresMaxConnections(cls)).toBe(connections);
    });

    it("caps every class at 5000", () => {
        expect(Math.max(...Object.keys(INSTANCE_CLASS_MEMORY_GIB).map(postgresMaxConnections))).toBe(5000);
    });

    it.each(["db.t2.micro", "db.m7g.medium", "cache.t4g.small", ""])("throws for the unknown class %j", (cls) => {
        expect(() => postgresMaxConnections(cls)).toThrow(`unknown instance class '${cls}'`);
    });
});
