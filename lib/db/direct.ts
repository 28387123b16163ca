// Direct driver reads for the authentication hot path.
//
// Every /api/v1 request and every gateway verification looks a token up. Through Prisma that
// lookup costs 100–400 µs of JavaScript per query (query compilation, the driver adapter, result
// mapping); the same indexed join run as one prepared statement on the driver costs ~10 µs on
// SQLite. So this one query (and only it) talks to the driver directly: better-sqlite3 on a
// read-only connection of its own (WAL: it sees committed data only, and never waits on a
// writer), or the same pg pool Prisma uses. Everything else goes through Prisma.
import Database from "better-sqlite3";
import pg from "pg";
import type { Secret, Workspace } from "../generated/sqlite/client";
import { SQLITE_BUSY_TIMEOUT_MS, type DbTarget } from "./url";

type ColumnType = "string" | "nullable-string" | "date" | "nullable-date" | "boolean" | "int" | "nullable-int";

// Every Workspace column, with its type: adding a column to the model without adding it here
// fails the type check (`satisfies` rejects both missing and unknown keys).
const WORKSPACE_COLUMNS = {
  id: "string",
  name: "string",
  status: "string",
  activationOrg: "nullable-string",
  activationUseCase: "nullable-string",
  rejectionReason: "nullable-string",
  requestedAt: "nullable-date",
  reviewedAt: "nullable-date",
  reviewedById: "nullable-string",
  createdById: "nullable-string",
  personal: "boolean",
  ssoDomain: "nullable-string",
  ssoDefaultRole: "string",
  ssoRequired: "boolean",
  requireMfa: "boolean",
  maxTokenLifetimeDays: "int",
  defaultTokenExpiryDays: "int",
  auditRetentionDays: "nullable-int",
  allowedEnvNames: "string",
  createdAt: "date",
  updatedAt: "date",
} as const satisfies Record<keyof Workspace, ColumnType>;

const TOKEN_COLUMNS = {
  id: "string",
  workspaceId: "string",
  kind: "string",
  scopes: "string",
  role: "nullable-string",
  status: "string",
  expiresAt: "date",
  createdById: "nullable-string",
  workloadId: "nullable-string",
  lastUsedAt: "nullable-date",
} as const satisfies Record<string, ColumnType>;

// Every Secret column (metadata only: values live in SecretVersion, never read here).
const SECRET_COLUMNS = {
  id: "string",
  workspaceId: "string",
  name: "string",
  preset: "string",
  envName: "nullable-string",
  visibility: "string",
  createdById: "nullable-string",
  currentVersion: "int",
  expiresAt: "nullable-date",
  createdAt: "date",
  updatedAt: "date",
} as const satisfies Record<keyof Secret, ColumnType>;

type Decoded<T extends Record<string, ColumnType>> = {
  [K in keyof T]: T[K] extends "string" ? string
    : T[K] extends "nullable-string" ? string | null
    : T[K] extends "date" ? Date
    : T[K] extends "nullable-date" ? Date | null
    : T[K] extends "boolean" ? boolean
    : T[K] extends "int" ? number
    : number | null;
};

/** A token, its workspace, and (for a token with a creator) the creator's membership there. */
export type TokenAuthRow = {
  token: Decoded<typeof TOKEN_COLUMNS>;
  workspace: Workspace;
  /** The creator's role in the token's workspace (null: no longer a member) and whether the creator is disabled. */
  creator: { role: string | null; disabled: boolean } | null;
};

function tokenAuthSql(hashCount: number, placeholder: (i: number) => string): string {
  const cols = [
    ...Object.keys(TOKEN_COLUMNS).map((c) => `t."${c}" AS "t_${c}"`),
    ...Object.keys(WORKSPACE_COLUMNS).map((c) => `w."${c}" AS "w_${c}"`),
    `m."role" AS "m_role"`,
    `u."id" AS "u_id"`,
    `u."disabledAt" AS "u_disabledAt"`,
  ];
  const hashes = Array.from({ length: hashCount }, (_, i) => placeholder(i + 1)).join(", ");
  return `SELECT ${cols.join(", ")}
    FROM "Token" t
    JOIN "Workspace" w ON w."id" = t."workspaceId"
    LEFT JOIN "Membership" m ON m."workspaceId" = t."workspaceId" AND m."userId" = t."createdById"
    LEFT JOIN "User" u ON u."id" = t."createdById"
    WHERE t."hash" IN (${hashes})
    LIMIT 1`;
}

/** SQLite keeps DateTime as ISO-8601 text and booleans as 0/1; PostgreSQL's timestamp(3) arrives as text (see below). */
/**
 * A date as a driver returns it for a Prisma DateTime column: a Date, milliseconds (SQLite), or
 * text, where PostgreSQL `timestamp without time zone` ("2026-11-23 14:00:00.123") is UTC for Prisma.
 */
export function dbDate(raw: unknown): Date {
  if (raw instanceof Date) return raw;
  if (typeof raw === "number" || (typeof raw === "string" && /^\d+$/.test(raw))) return new Date(Number(raw));
  const s = String(raw);
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : `${s.replace(" ", "T")}Z`);
}

function decodeValue(type: ColumnType, raw: unknown): unknown {
  if (raw === null || raw === undefined) return null;
  switch (type) {
    case "date":
    case "nullable-date":
      return dbDate(raw);
    case "boolean":
      return raw === true || raw === 1 || raw === "1" || raw === "t";
    case "int":
    case "nullable-int":
      return Number(raw);
    default:
      return String(raw);
  }
}

function decode<T extends Record<string, ColumnType>>(columns: T, prefix: string, row: Record<string, unknown>): Decoded<T> {
  const out: Record<string, unknown> = {};
  for (const [name, type] of Object.entries(columns)) out[name] = decodeValue(type, row[`${prefix}${name}`]);
  return out as Decoded<T>;
}

function decodeRow(row: Record<string, unknown> | undefined): TokenAuthRow | null {
  if (!row) return null;
  return {
    token: decode(TOKEN_COLUMNS, "t_", row),
    workspace: decode(WORKSPACE_COLUMNS, "w_", row) as Workspace,
    creator: row.u_id == null ? null : { role: row.m_role == null ? null : String(row.m_role), disabled: row.u_disabledAt != null },
  };
}

/**
 * SQL: the creator of secret `s` is not an enabled member of its workspace (left, removed or
 * disabled; a null creator matches too). One rule for the env statement's "orphaned" and the
 * metadata read's "creatorGone".
 */
const CREATOR_GONE = `NOT EXISTS (SELECT 1 FROM "Membership" m JOIN "User" u ON u."id" = m."userId"
  WHERE m."workspaceId" = s."workspaceId" AND m."userId" = s."createdById" AND u."disabledAt" IS NULL)`;

/** A secret's metadata, and whether its creator is gone (none, no longer a member, or disabled). */
export type SecretMetaRow = { secret: Secret; creatorGone: boolean };

/**
 * One secret's metadata read (GET …/secrets/{id}), the hot path beside the workspace read: one
 * indexed statement instead of Prisma's ~300 µs per query. `creatorGone` decides whether an owner
 * may see someone's private secret (the rule of lib/services/secrets.ts `visibleWhere`).
 */
function secretMetaSql(p: (i: number) => string): string {
  const cols = Object.keys(SECRET_COLUMNS).map((c) => `s."${c}" AS "s_${c}"`);
  return `SELECT ${cols.join(", ")},
      CASE WHEN ${CREATOR_GONE} THEN 1 ELSE 0 END AS "creatorGone"
    FROM "Secret" s
    WHERE s."id" = ${p(1)} AND s."workspaceId" = ${p(2)}`;
}

function secretMetaResult(row: Record<string, unknown> | undefined): SecretMetaRow | null {
  if (!row) return null;
  return { secret: decode(SECRET_COLUMNS, "s_", row) as Secret, creatorGone: Number(row.creatorGone) === 1 };
}

/** One environment binding of a workload, with its secret's current encrypted version (if any). */
export type EnvBindingRow = {
  envName: string;
  literalValue: string | null;
  secretId: string | null;
  secretName: string | null;
  version: number | null;
  iv: Buffer | null;
  ciphertext: Buffer | null;
  dataKeyVersion: number | null;
  /** A private secret whose creator has left the workspace (or was disabled): not to be used. */
  orphaned: boolean;
  /** The AAD layout the value was sealed with (SecretVersion.aadScheme). */
  aadScheme: number;
  /** A private secret's creator (null for public secrets and literals): its value opens only for a token they minted and bound. */
  privateOwnerId: string | null;
};

/**
 * The env endpoint's one statement: the credential's parent token (its current state), its
 * workspace's status, the workload (when it exists in that workspace) and, aggregated by the
 * database into ONE JSON column, every binding with its secret's current encrypted version (blobs
 * as hex). One row instead of fifty: per-row and per-blob conversion in the drivers cost about
 * three times the query itself (measured on SQLite: 250 µs as rows, 66 µs aggregated).
 * No row: no such token in that workspace. A null workload id: no such workload.
 */
function workloadEnvSql(provider: "sqlite" | "postgres", p: (i: number) => string): string {
  const hex = (col: string) => (provider === "sqlite" ? `hex(${col})` : `encode(${col}, 'hex')`);
  // A private secret whose creator is no longer an enabled member is orphaned: nobody may use it.
  const orphaned = `CASE WHEN s."visibility" = 'private' AND ${CREATOR_GONE} THEN 1 ELSE 0 END`;
  const binding = [`b."envName"`, `b."literalValue"`, `b."secretId"`, `s."name"`, `v."version"`, hex(`v."iv"`), hex(`v."ciphertext"`), `v."dataKeyVersion"`, orphaned, `v."aadScheme"`,
    `CASE WHEN s."visibility" = 'private' THEN s."createdById" END`].join(", ");
  const aggregate = provider === "sqlite" ? `json_group_array(json_array(${binding}))` : `COALESCE(json_agg(json_build_array(${binding})), '[]'::json)`;
  return `SELECT t."status" AS "tokenStatus", t."expiresAt" AS "tokenExpiresAt", t."kind" AS "tokenKind", t."workloadId" AS "tokenWorkloadId",
      t."lastUsedAt" AS "tokenLastUsedAt", t."createdById" AS "tokenCreatorId", t."boundById" AS "tokenBoundById",
      ws."status" AS "workspaceStatus", ws."allowedEnvNames" AS "allowedEnvNames", w."id" AS "workloadId",
      (SELECT ${aggregate}
        FROM "WorkloadBinding" b
        LEFT JOIN "Secret" s ON s."id" = b."secretId" AND s."workspaceId" = w."workspaceId"
        LEFT JOIN "SecretVersion" v ON v."secretId" = s."id" AND v."version" = s."currentVersion"
        WHERE b."workloadId" = w."id") AS "bindings"
    FROM "Token" t
    JOIN "Workspace" ws ON ws."id" = t."workspaceId"
    LEFT JOIN "Workload" w ON w."id" = ${p(2)} AND w."workspaceId" = t."workspaceId"
    WHERE t."id" = ${p(1)} AND t."workspaceId" = ${p(3)}`;
}

/** The parent token and workload as the env statement saw them. */
export type EnvAccessRow = {
  tokenStatus: string;
  tokenExpiresAt: Date;
  tokenKind: string;
  tokenWorkloadId: string | null;
  tokenLastUsedAt: Date | null;
  /** Who minted the parent token, and who put it on its current workload. */
  tokenCreatorId: string | null;
  tokenBoundById: string | null;
  workspaceStatus: string;
  /** Workspace.allowedEnvNames: code-loading variable names an admin allowed. */
  allowedEnvNames: string;
  /** Null: no such workload in the workspace. */
  workloadId: string | null;
};

export type WorkloadEnvResult = { access: EnvAccessRow; bindings: EnvBindingRow[] } | null;

type AggregatedBinding = [string, string | null, string | null, string | null, number | null, string | null, string | null, number | null, number | boolean, number | null, string | null];

function envResult(row: Record<string, unknown> | undefined): WorkloadEnvResult {
  if (!row) return null;
  const raw = row.bindings;
  // SQLite hands the JSON over as text, pg parses json columns itself; no workload: null.
  const list = (raw == null ? [] : typeof raw === "string" ? JSON.parse(raw) : raw) as AggregatedBinding[];
  list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)); // by variable name, whatever order the aggregate used
  const hexBuf = (v: string | null) => (v ? Buffer.from(v, "hex") : null);
  return {
    access: {
      tokenStatus: String(row.tokenStatus),
      tokenExpiresAt: decodeValue("date", row.tokenExpiresAt) as Date,
      tokenKind: String(row.tokenKind),
      tokenWorkloadId: decodeValue("nullable-string", row.tokenWorkloadId) as string | null,
      tokenLastUsedAt: decodeValue("nullable-date", row.tokenLastUsedAt) as Date | null,
      tokenCreatorId: decodeValue("nullable-string", row.tokenCreatorId) as string | null,
      tokenBoundById: decodeValue("nullable-string", row.tokenBoundById) as string | null,
      workspaceStatus: String(row.workspaceStatus),
      allowedEnvNames: String(row.allowedEnvNames ?? ""),
      workloadId: decodeValue("nullable-string", row.workloadId) as string | null,
    },
    bindings: list.map(([envName, literalValue, secretId, secretName, version, iv, ciphertext, dataKeyVersion, orphaned, aadScheme, privateOwnerId]) => ({
      envName,
      literalValue,
      secretId,
      secretName,
      version: version == null ? null : Number(version),
      iv: hexBuf(iv),
      ciphertext: hexBuf(ciphertext),
      dataKeyVersion: dataKeyVersion == null ? null : Number(dataKeyVersion),
      orphaned: Number(orphaned) === 1,
      aadScheme: Number(aadScheme ?? 1),
      privateOwnerId: privateOwnerId ?? null,
    })),
  };
}

export interface DirectReader {
  /** The token whose stored hash is one of `hashes` (one per configured key), with its workspace and creator. */
  tokenAuth(hashes: string[]): Promise<TokenAuthRow | null>;
  /** A workload credential's parent token and the workload's environment rows (the env endpoint's hot path). */
  workloadEnv(tokenId: string, workspaceId: string, workloadId: string): Promise<WorkloadEnvResult>;
  /** One secret's metadata in a workspace (never a value), or null. */
  secretMeta(workspaceId: string, secretId: string): Promise<SecretMetaRow | null>;
  close(): Promise<void>;
}

class SqliteReader implements DirectReader {
  private conn: Database.Database | null = null;
  private statements = new Map<number, Database.Statement>();
  constructor(private readonly file: string) {}

  private statement(count: number): Database.Statement {
    let st = this.statements.get(count);
    if (!st) {
      this.conn ??= new Database(this.file, { readonly: true, fileMustExist: true, timeout: SQLITE_BUSY_TIMEOUT_MS });
      st = this.conn.prepare(tokenAuthSql(count, () => "?"));
      this.statements.set(count, st);
    }
    return st;
  }

  async tokenAuth(hashes: string[]): Promise<TokenAuthRow | null> {
    return decodeRow(this.statement(hashes.length).get(...hashes) as Record<string, unknown> | undefined);
  }

  private envStatement: Database.Statement | null = null;

  async workloadEnv(tokenId: string, workspaceId: string, workloadId: string): Promise<WorkloadEnvResult> {
    this.conn ??= new Database(this.file, { readonly: true, fileMustExist: true, timeout: SQLITE_BUSY_TIMEOUT_MS });
    this.envStatement ??= this.conn.prepare(workloadEnvSql("sqlite", (i) => `@p${i}`));
    return envResult(this.envStatement.get({ p1: tokenId, p2: workloadId, p3: workspaceId }) as Record<string, unknown> | undefined);
  }

  private secretStatement: Database.Statement | null = null;

  async secretMeta(workspaceId: string, secretId: string): Promise<SecretMetaRow | null> {
    this.conn ??= new Database(this.file, { readonly: true, fileMustExist: true, timeout: SQLITE_BUSY_TIMEOUT_MS });
    this.secretStatement ??= this.conn.prepare(secretMetaSql(() => "?"));
    return secretMetaResult(this.secretStatement.get(secretId, workspaceId) as Record<string, unknown> | undefined);
  }

  async close(): Promise<void> {
    this.statements.clear();
    this.envStatement = null;
    this.secretStatement = null;
    this.conn?.close();
    this.conn = null;
  }
}

// Timestamps as text, parsed as UTC above: pg's default parser reads `timestamp without time
// zone` in the process's local zone. Scoped to these queries only.
const TEXT_TIMESTAMPS = {
  getTypeParser: (oid: number, format?: string) =>
    oid === 1114 || oid === 1184 ? (v: string) => v : (pg.types.getTypeParser as (o: number, f?: string) => unknown)(oid, format),
};

class PostgresReader implements DirectReader {
  constructor(private readonly pool: pg.Pool) {}

  async tokenAuth(hashes: string[]): Promise<TokenAuthRow | null> {
    const res = await this.pool.query({
      name: `tessera_token_auth_${hashes.length}`,
      text: tokenAuthSql(hashes.length, (i) => `$${i}`),
      values: hashes,
      types: TEXT_TIMESTAMPS as pg.CustomTypesConfig,
    });
    return decodeRow(res.rows[0] as Record<string, unknown> | undefined);
  }

  async workloadEnv(tokenId: string, workspaceId: string, workloadId: string): Promise<WorkloadEnvResult> {
    const res = await this.pool.query({
      name: "tessera_workload_env_v7",
      text: workloadEnvSql("postgres", (i) => `$${i}`),
      values: [tokenId, workloadId, workspaceId],
      types: TEXT_TIMESTAMPS as pg.CustomTypesConfig,
    });
    return envResult(res.rows[0] as Record<string, unknown> | undefined);
  }

  async secretMeta(workspaceId: string, secretId: string): Promise<SecretMetaRow | null> {
    const res = await this.pool.query({
      name: "tessera_secret_meta_v1",
      text: secretMetaSql((i) => `$${i}`),
      values: [secretId, workspaceId],
      types: TEXT_TIMESTAMPS as pg.CustomTypesConfig,
    });
    return secretMetaResult(res.rows[0] as Record<string, unknown> | undefined);
  }

  async close(): Promise<void> {
    // The pool belongs to the Prisma client; it is ended with it.
  }
}

export function createDirectReader(target: DbTarget, pool: pg.Pool | null): DirectReader {
  if (target.provider === "sqlite") return new SqliteReader(target.file);
  if (!pool) throw new Error("A PostgreSQL direct reader needs the client's pool");
  return new PostgresReader(pool);
}
