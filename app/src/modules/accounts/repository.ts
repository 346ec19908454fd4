import type { Queryable } from "../../platform/db";
import type { ApiKeyRecord, Scope } from "./schemas";

interface Row {
  id: string;
  name: string;
  prefix: string;
  key_hash: Buffer;
  scopes: Scope[];
  created_at: Date;
  revoked_at: Date | null;
}

const toRecord = (r: Row): ApiKeyRecord => ({
  id: r.id,
  name: r.name,
  prefix: r.prefix,
  scopes: r.scopes,
  createdAt: r.created_at.toISOString(),
  revokedAt: r.revoked_at?.toISOString() ?? null,
});

export class ApiKeyRepository {
  constructor(private readonly db: Queryable) {}

  async insert(name: string, prefix: string, hash: Buffer, scopes: readonly Scope[]): Promise<ApiKeyRecord> {
    const { rows } = await this.db.query<Row>("INSERT INTO accounts_api_keys (name, prefix, key_hash, scopes) VALUES ($1, $2, $3, $4) RETURNING *", [name, prefix, hash, scopes]);
    return toRecord(rows[0]);
  }

  async findActiveByPrefix(prefix: string): Promise<(ApiKeyRecord & { hash: Buffer }) | null> {
    const { rows } = await this.db.query<Row>("SELECT * FROM accounts_api_keys WHERE prefix = $1 AND revoked_at IS NULL", [prefix]);
    return rows[0] ? { ...toRecord(rows[0]), hash: rows[0].key_hash } : null;
  }

  async list(): Promise<ApiKeyRecord[]> {
    const { rows } = await this.db.query<Row>("SELECT * FROM accounts_api_keys ORDER BY created_at");
    return rows.map(toRecord);
  }

  async revoke(id: string): Promise<boolean> {
    const { rowCount } = await this.db.query("UPDATE accounts_api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL", [id]);
    return (rowCount ?? 0) > 0;
  }
}
