// Audit events: written by services inside the same transaction as the change they describe,
// and on their own for denied attempts. They never hold a token, secret, hash or cookie.
import { stringify } from "csv-stringify/sync";
import { z } from "zod";
import { actorId, actorLabel, type Actor } from "../auth/actor";
import { randomBytes } from "node:crypto";
import { db, pgPool, transaction, type Db, type Tx } from "../db/client";
import { AppError, parseInput } from "../errors";
import { log } from "../log";
import {
  auditEventSchema,
  auditExportQuerySchema,
  auditQuerySchema,
  auditRetentionSchema,
  type AuditEventOutput,
  type AuditFilters,
  type AuditQuery,
} from "../schemas/audit";
import { authorize, authorizeRead, inRead, inTransaction } from "./authorize";

export type AuditMetadata = Record<string, string | number | boolean | null | string[]>;

export type AuditInput = {
  workspaceId: string | null;
  action: string;
  target?: { type: string; id: string | null };
  result?: "success" | "denied" | "failure";
  metadata?: AuditMetadata;
};

/** Keys that must never appear in audit metadata (they could only hold credentials). */
const FORBIDDEN_KEYS = /^(value|token|secret|password|passwordHash|hash|tokenHash|cookie|authorization|ciphertext|wrappedKey)$/i;

/** Removes control characters (no CR/LF log forging) and bounds the length. */
export function cleanText(value: string | null | undefined, max = 512): string | null {
  if (value === null || value === undefined) return null;
  const cleaned = value.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
  return cleaned.length > max ? cleaned.slice(0, max) : cleaned;
}

function metadataJson(metadata: AuditMetadata | undefined): string | null {
  if (!metadata) return null;
  for (const key of Object.keys(metadata)) {
    if (FORBIDDEN_KEYS.test(key)) throw new Error(`audit metadata may not contain "${key}"`);
  }
  return JSON.stringify(metadata);
}

function row(actor: Actor, event: AuditInput) {
  if (!/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/.test(event.action)) {
    throw new Error(`audit action must be a dotted name: ${event.action}`);
  }
  return {
    workspaceId: event.workspaceId,
    actorType: actor.type,
    actorId: actorId(actor),
    actorLabel: cleanText(actorLabel(actor), 200),
    action: event.action,
    targetType: event.target?.type ?? null,
    targetId: event.target?.id ?? null,
    result: event.result ?? "success",
    ip: cleanText(actor.meta.ip, 64),
    userAgent: cleanText(actor.meta.userAgent, 512),
    requestId: cleanText(actor.meta.requestId, 64),
    metadata: metadataJson(event.metadata),
  };
}

/** Records an event inside the caller's transaction. */
export async function recordAudit(tx: Tx, actor: Actor, event: AuditInput): Promise<void> {
  await tx.auditEvent.create({ data: row(actor, event) });
}

// Group commit for audit events of reads on hot paths (the workload env endpoint): each caller
// waits until its event is committed (so nothing is answered unaudited), but the events of the
// requests that arrive together share one transaction.
type Queued = { data: ReturnType<typeof row>; resolve: () => void; reject: (err: unknown) => void };
const auditQueue: Queued[] = [];
let flushScheduled = false;

const COLUMNS = ["id", "workspaceId", "actorType", "actorId", "actorLabel", "action", "targetType", "targetId", "result", "ip", "userAgent", "requestId", "metadata", "createdAt"] as const;

/**
 * One multi-row INSERT as raw SQL in a batch transaction on the client's own connection: the
 * events are already checked and cleaned by row(); ids and dates are made as Prisma makes them
 * (a cuid-shaped id; UTC time as "…+00:00", which PostgreSQL reads into its timestamp(3) as is).
 */
async function insertEvents(rows: ReturnType<typeof row>[]): Promise<void> {
  const records = rows.map((r) => ({
    ...r,
    id: `c${Date.now().toString(36)}${randomBytes(8).toString("hex")}`,
    createdAt: new Date().toISOString().replace("Z", "+00:00"),
  }));
  const pool = pgPool();
  if (pool) {
    // PostgreSQL: one prepared statement whatever the batch size (one column array per parameter,
    // unnest'ed into rows): parsed and planned once per connection, one round trip, atomic by itself.
    await pool.query({
      name: "tessera_audit_insert_v1",
      text: `INSERT INTO "AuditEvent" (${COLUMNS.map((c) => `"${c}"`).join(", ")})
        SELECT * FROM unnest(${COLUMNS.map((c, i) => `$${i + 1}::${c === "createdAt" ? "timestamp(3)" : "text"}[]`).join(", ")})`,
      values: COLUMNS.map((c) => records.map((r) => r[c] ?? null)),
    });
    return;
  }
  // SQLite: on the client's own connection, in a transaction, like every write there.
  const values: unknown[] = [];
  const tuples = records.map((record) => `(${COLUMNS.map((c) => (values.push(record[c] ?? null), "?")).join(", ")})`);
  const sql = `INSERT INTO "AuditEvent" (${COLUMNS.map((c) => `"${c}"`).join(", ")}) VALUES ${tuples.join(", ")}`;
  await db().$transaction([db().$executeRawUnsafe(sql, ...values)]);
}

// SQLite has one writer: one batch at a time. PostgreSQL commits concurrent transactions with one
// WAL flush of its own, so a few batches may be in flight (each on its own pool connection): a
// request then waits for about one commit instead of the one in flight plus its own.
/** Events per INSERT at most (SQLite's parameter limit; a long stall may queue thousands). */
export const MAX_BATCH = 500;
const maxInFlight = () => (pgPool() ? 4 : 1);
let inFlight = 0;

function flushAuditQueue(): void {
  while (auditQueue.length && inFlight < maxInFlight()) {
    // At most MAX_BATCH rows a statement: SQLite takes at most 32,766 parameters (14 a row).
    const batch = auditQueue.splice(0, MAX_BATCH);
    inFlight++;
    insertEvents(batch.map((q) => q.data)).then(
      () => {
        for (const q of batch) q.resolve();
      },
      (err: unknown) => {
        for (const q of batch) q.reject(err);
      },
    ).finally(() => {
      inFlight--;
      flushAuditQueue();
    });
  }
}

/** Records an event of a read (not a change) and resolves once it is committed, batched with others. */
export function recordAuditCommitted(actor: Actor, event: AuditInput): Promise<void> {
  return new Promise((resolve, reject) => {
    auditQueue.push({ data: row(actor, event), resolve, reject });
    // Gathered until the current turn of the event loop is over, so that requests arriving together share a batch.
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(() => {
        flushScheduled = false;
        flushAuditQueue();
      });
    }
  });
}

/**
 * Records a denied attempt. It runs outside the failed operation (which wrote nothing), and a
 * failure to record is logged rather than hiding the original denial.
 */
export async function recordDenied(actor: Actor, event: Omit<AuditInput, "result">): Promise<void> {
  try {
    await transaction((tx) => tx.auditEvent.create({ data: row(actor, { ...event, result: "denied" }) }));
  } catch (err) {
    log.error({ err: (err as Error)?.message, action: event.action }, "could not record denied attempt");
  }
}

// ---- Reading, exporting and retention ---------------------------------------------------------

/** Events per database read while exporting: memory stays flat whatever the total. */
export const EXPORT_BATCH = 1000;

type EventRow = Awaited<ReturnType<Db["auditEvent"]["findMany"]>>[number];

function presentEvent(e: EventRow): AuditEventOutput {
  let metadata: Record<string, unknown> | null = null;
  if (e.metadata) {
    try {
      metadata = JSON.parse(e.metadata) as Record<string, unknown>;
    } catch {
      metadata = null;
    }
  }
  return {
    id: e.id,
    workspaceId: e.workspaceId,
    createdAt: e.createdAt,
    actorType: e.actorType,
    actorId: e.actorId,
    actorLabel: e.actorLabel,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId,
    result: e.result,
    ip: e.ip,
    userAgent: e.userAgent,
    requestId: e.requestId,
    metadata,
  };
}

const ID = /^[a-z0-9]{20,32}$/;

/** The filters as a Prisma where clause (always inside one workspace). */
function whereOf(workspaceId: string, f: AuditFilters) {
  const and: Record<string, unknown>[] = [{ workspaceId }];
  if (f.actor) and.push(ID.test(f.actor) ? { actorId: f.actor } : { actorLabel: { contains: f.actor.toLowerCase() } });
  if (f.action) and.push(f.action.endsWith(".") ? { action: { startsWith: f.action } } : { action: f.action });
  if (f.target) {
    const sep = f.target.indexOf(":");
    and.push(sep > 0 ? { targetType: f.target.slice(0, sep), targetId: f.target.slice(sep + 1) } : { OR: [{ targetId: f.target }, { targetType: f.target }] });
  }
  if (f.result) and.push({ result: f.result });
  if (f.from) and.push({ createdAt: { gte: f.from } });
  if (f.to) and.push({ createdAt: { lte: f.to } });
  return { AND: and };
}

type Cursor = { at: Date; id: string };

function encodeCursor(e: Pick<EventRow, "createdAt" | "id">): string {
  return Buffer.from(`${e.createdAt.toISOString()}|${e.id}`).toString("base64url");
}

function decodeCursor(raw: string | undefined): Cursor | null {
  if (!raw) return null;
  const [at, id] = Buffer.from(raw, "base64url").toString("utf8").split("|");
  const date = new Date(at ?? "");
  if (!id || !ID.test(id) || Number.isNaN(date.getTime())) {
    throw new AppError("VALIDATION_FAILED", "Invalid query at cursor: is not a cursor from this API", { details: [{ path: "cursor", message: "is not a cursor from this API" }] });
  }
  return { at: date, id };
}

/** Newest first; the cursor continues after the last event of the previous page. */
// Written as a range on createdAt (which the (workspaceId, createdAt) index serves) minus the ties
// already seen, rather than "a OR (b AND c)", which makes the databases scan from the start.
const after = (c: Cursor | null) => (c ? [{ createdAt: { lte: c.at }, NOT: { createdAt: c.at, id: { gte: c.id } } }] : []);
const ORDER = [{ createdAt: "desc" as const }, { id: "desc" as const }];

/** What a target is called in words when it cannot be looked up: "deleted token". */
const KIND_WORDS: Record<string, string> = { device_authorization: "device sign-in", user: "user" };

/**
 * The targets' names as they are now, one batched lookup per target type, and only inside this
 * workspace (an event may name another workspace's id, say a denied attempt on it: that name is
 * never revealed). Users are named when they are members of this workspace. A target that is not
 * found keeps the name the event recorded (`name`, `email` or `machineName` in its metadata) with
 * "(deleted)", or else reads "deleted <type>" ("not a member" for users).
 */
async function targetLabels(db: Db, workspace: { id: string; name: string }, events: AuditEventOutput[]): Promise<Map<string, string>> {
  const ids = (type: string) => [...new Set(events.filter((e) => e.targetType === type && e.targetId).map((e) => e.targetId!))];
  const names = new Map<string, string>();
  const key = (type: string, id: string) => `${type}:${id}`;
  const put = (type: string, rows: { id: string; label: string | null }[]) => {
    for (const r of rows) if (r.label) names.set(key(type, r.id), r.label);
  };
  const [tokens, secrets, workloads, invitations, members, devices] = await Promise.all([
    ids("token").length ? db.token.findMany({ where: { workspaceId: workspace.id, id: { in: ids("token") } }, select: { id: true, name: true } }) : [],
    ids("secret").length ? db.secret.findMany({ where: { workspaceId: workspace.id, id: { in: ids("secret") } }, select: { id: true, name: true } }) : [],
    ids("workload").length ? db.workload.findMany({ where: { workspaceId: workspace.id, id: { in: ids("workload") } }, select: { id: true, name: true } }) : [],
    ids("invitation").length ? db.invitation.findMany({ where: { workspaceId: workspace.id, id: { in: ids("invitation") } }, select: { id: true, email: true } }) : [],
    ids("user").length
      ? db.membership.findMany({ where: { workspaceId: workspace.id, userId: { in: ids("user") } }, select: { userId: true, user: { select: { email: true } } } })
      : [],
    ids("device_authorization").length
      ? db.deviceAuthorization.findMany({ where: { workspaceId: workspace.id, id: { in: ids("device_authorization") } }, select: { id: true, machineName: true } })
      : [],
  ]);
  put("token", tokens.map((t) => ({ id: t.id, label: t.name })));
  put("secret", secrets.map((t) => ({ id: t.id, label: t.name })));
  put("workload", workloads.map((t) => ({ id: t.id, label: t.name })));
  put("invitation", invitations.map((i) => ({ id: i.id, label: i.email ? `invitation to ${i.email}` : "invitation (anyone with the link)" })));
  put("user", members.map((m) => ({ id: m.userId, label: m.user.email })));
  put("device_authorization", devices.map((d) => ({ id: d.id, label: d.machineName })));
  names.set(key("workspace", workspace.id), workspace.name);

  const labels = new Map<string, string>();
  for (const e of events) {
    if (!e.targetType) continue;
    const found = e.targetId ? names.get(key(e.targetType, e.targetId)) : undefined;
    if (found) {
      labels.set(e.id, found);
      continue;
    }
    if (!e.targetId) continue; // "a new token" that was refused: there is nothing to name
    const m = e.metadata ?? {};
    const recorded = [m.name, m.email, m.machineName].find((v): v is string => typeof v === "string" && v.length > 0);
    const kind = KIND_WORDS[e.targetType] ?? e.targetType;
    if (e.targetType === "user") labels.set(e.id, recorded ? `${recorded} (not a member)` : "user (not a member)");
    else if (e.targetType === "workspace") labels.set(e.id, "another workspace");
    else labels.set(e.id, recorded ? `${recorded} (deleted)` : `deleted ${kind}`);
  }
  return labels;
}

/** One page of the workspace's audit log, filtered, newest first, each target named (see targetLabels). */
export async function listAuditEvents(actor: Actor, workspaceId: string, query: AuditQuery = {}): Promise<{ data: AuditEventOutput[]; nextCursor: string | null }> {
  const f = parseInput(auditQuerySchema, query);
  const cursor = decodeCursor(f.cursor);
  return inRead(actor, async (db) => {
    const { workspace } = await authorizeRead(actor, workspaceId, "audit.read", { action: "audit.list", target: { type: "workspace", id: workspaceId } });
    const where = whereOf(workspaceId, f);
    const rows = await db.auditEvent.findMany({ where: { AND: [...where.AND, ...after(cursor)] }, orderBy: ORDER, take: f.limit + 1 });
    const page = rows.slice(0, f.limit).map(presentEvent);
    const labels = await targetLabels(db, workspace, page);
    return {
      data: page.map((e) => ({ ...e, targetLabel: labels.get(e.id) ?? null })),
      nextCursor: rows.length > f.limit ? encodeCursor(rows[f.limit - 1]!) : null,
    };
  });
}

export const CSV_COLUMNS = ["createdAt", "workspaceId", "actorType", "actorId", "actorLabel", "action", "targetType", "targetId", "result", "ip", "userAgent", "requestId", "metadata", "id"] as const;

/** Spreadsheets run cells that begin with = + - @ (or tab / CR) as formulas: such cells get a leading '. */
export function neutraliseCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function csvLines(events: AuditEventOutput[], header: boolean): string {
  const rows = events.map((e) =>
    CSV_COLUMNS.map((c) => {
      const v = c === "metadata" ? (e.metadata ? JSON.stringify(e.metadata) : "") : c === "createdAt" ? new Date(e.createdAt).toISOString() : (e[c] ?? "");
      return neutraliseCell(String(v));
    }),
  );
  return stringify(rows, { header, columns: header ? [...CSV_COLUMNS] : undefined, record_delimiter: "\n" });
}

export type AuditExport = { format: "csv" | "jsonl"; contentType: string; filename: string; chunks: AsyncIterable<string> };

/**
 * Exports the filtered audit log as CSV or JSON Lines, oldest first. Authorization and the
 * `audit.export` event happen before the first byte; the events are then read in keyset-paginated
 * batches of EXPORT_BATCH as the consumer pulls, so a million events never sit in memory.
 */
export async function exportAuditEvents(actor: Actor, workspaceId: string, query: z.input<typeof auditExportQuerySchema> = {}): Promise<AuditExport> {
  const { format, cursor: _ignored, limit: _unused, ...f } = parseInput(auditExportQuerySchema, query);
  await inTransaction(actor, async (tx) => {
    await authorize(tx, actor, workspaceId, "audit.read", { action: "audit.export", target: { type: "workspace", id: workspaceId } });
    await recordAudit(tx, actor, {
      workspaceId,
      action: "audit.export",
      target: { type: "workspace", id: workspaceId },
      metadata: { format, filters: JSON.stringify({ ...f, from: f.from?.toISOString(), to: f.to?.toISOString() }) },
    });
  });
  const where = whereOf(workspaceId, { ...f, limit: EXPORT_BATCH });
  async function* chunks(): AsyncGenerator<string> {
    let last: { createdAt: Date; id: string } | null = null;
    let first = true;
    for (;;) {
      const position = last ? [{ createdAt: { gte: last.createdAt }, NOT: { createdAt: last.createdAt, id: { lte: last.id } } }] : [];
      const rows: EventRow[] = await db().auditEvent.findMany({
        where: { AND: [...where.AND, ...position] },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        take: EXPORT_BATCH,
      });
      if (rows.length === 0 && !first) return;
      const events = rows.map(presentEvent);
      if (format === "csv") yield csvLines(events, first);
      else if (events.length) yield events.map((e) => JSON.stringify(z.encode(auditEventSchema, e))).join("\n") + "\n";
      first = false;
      if (rows.length < EXPORT_BATCH) return;
      last = rows[rows.length - 1]!;
    }
  }
  const day = new Date().toISOString().slice(0, 10);
  return {
    format,
    contentType: format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
    filename: `tessera-audit-${workspaceId}-${day}.${format}`,
    chunks: chunks(),
  };
}

/** Sets how many days events are kept (null: forever). Purging happens hourly in the server. */
export async function setAuditRetention(actor: Actor, workspaceId: string, input: z.input<typeof auditRetentionSchema>): Promise<{ days: number | null }> {
  const { days } = parseInput(auditRetentionSchema, input);
  return inTransaction(actor, async (tx) => {
    const { workspace } = await authorize(tx, actor, workspaceId, "workspace.update", {
      action: "audit.retention.update",
      target: { type: "workspace", id: workspaceId },
    });
    if (workspace.auditRetentionDays === days) return { days };
    await tx.workspace.update({ where: { id: workspaceId }, data: { auditRetentionDays: days } });
    await recordAudit(tx, actor, {
      workspaceId,
      action: "audit.retention.update",
      target: { type: "workspace", id: workspaceId },
      metadata: { from: workspace.auditRetentionDays, to: days },
    });
    return { days };
  });
}

const PURGE_BATCH = 5000;
const SYSTEM: Actor = { type: "system", label: "audit retention", meta: { requestId: "audit-retention", ip: null, userAgent: null } };

/**
 * Deletes events older than each workspace's retention, in batches (each batch and its
 * `audit.purge` event in one transaction). Returns how many were deleted.
 */
export async function purgeExpiredAuditEvents(now = new Date()): Promise<number> {
  const workspaces = await db().workspace.findMany({ where: { auditRetentionDays: { not: null } }, select: { id: true, auditRetentionDays: true } });
  let total = 0;
  for (const w of workspaces) {
    const cutoff = new Date(now.getTime() - w.auditRetentionDays! * 24 * 60 * 60 * 1000);
    for (;;) {
      const ids = (await db().auditEvent.findMany({ where: { workspaceId: w.id, createdAt: { lt: cutoff } }, select: { id: true }, take: PURGE_BATCH })).map((e) => e.id);
      if (ids.length === 0) break;
      await transaction(async (tx) => {
        const { count } = await tx.auditEvent.deleteMany({ where: { id: { in: ids } } });
        // Nothing deleted (another run got there first): nothing to record.
        if (!count) return;
        await recordAudit(tx, SYSTEM, {
          workspaceId: w.id,
          action: "audit.purge",
          target: { type: "workspace", id: w.id },
          metadata: { deleted: count, before: cutoff.toISOString(), retentionDays: w.auditRetentionDays },
        });
        total += count;
      });
      if (ids.length < PURGE_BATCH) break;
    }
  }
  return total;
}
