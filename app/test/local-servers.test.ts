import { MissingBinaryError, startPostgres, startRedis } from "../tools/local-servers";

describe("missing server binaries fail loudly with an install hint (never a silent skip)", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  test("PostgreSQL", async () => {
    process.env.PG_BIN = "/nonexistent/pg/bin";
    await expect(startPostgres()).rejects.toThrow(MissingBinaryError);
    await expect(startPostgres()).rejects.toThrow(/apt-get install -y postgresql redis-server/);
  });

  test("Redis", async () => {
    process.env.REDIS_SERVER = "/nonexistent/redis-server";
    await expect(startRedis()).rejects.toThrow(/redis-server at REDIS_SERVER=\/nonexistent\/redis-server not found\. Install the server binaries/);
  });
});
