// Leases on background jobs, so that when several instances serve one database a job runs on one
// of them at a time (the hourly purge). A lease is a JobLease row: its holder and when it expires.
//
// Taking one is a conditional UPDATE that the database decides ("free, or already mine"), so two
// instances asking at once cannot both get it: on PostgreSQL the second UPDATE waits for the
// first's row lock and re-checks its condition against the committed row (0 rows); SQLite has one
// writer. A missing row is made by an INSERT that the primary key lets only one instance win.
// The holder keeps its lease by taking it again at each run; a holder that crashed stops
// renewing, its lease expires, and the next instance to ask takes it over.
//
// Why a lease row rather than pg_try_advisory_xact_lock: an advisory lock lasts as long as its
// transaction, so it stops two runs overlapping but not a second instance running the same job a
// minute after the first finished; the row also works the same on SQLite, and shows the holder.
// Expiry is compared with each instance's own clock: keep them in sync (NTP). A lease lasts two
// periods, so seconds of skew do not matter.
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { transaction } from "../db/client";

/** This process, as a lease holder: host, process id and a random part (a restart is a new holder). */
export const INSTANCE_ID = `${hostname().slice(0, 64)}:${process.pid}:${randomBytes(3).toString("hex")}`;

export type LeaseResult = { taken: true; expiresAt: Date } | { taken: false; holder: string; expiresAt: Date };

const isUniqueViolation = (err: unknown) => (err as { code?: string } | null)?.code === "P2002";

/**
 * Takes (or renews) the lease `name` for `holder` until `now + durationMs`, if it is free (never
 * taken, or expired) or already held by `holder`; otherwise says who holds it and until when.
 */
export async function takeLease(name: string, holder: string, durationMs: number, now = new Date()): Promise<LeaseResult> {
  const expiresAt = new Date(now.getTime() + durationMs);
  const { count } = await transaction((tx) =>
    tx.jobLease.updateMany({ where: { name, OR: [{ expiresAt: { lte: now } }, { holder }] }, data: { holder, expiresAt } }),
  );
  if (count === 1) return { taken: true, expiresAt };
  const held = async (): Promise<LeaseResult | null> => {
    const row = await transaction((tx) => tx.jobLease.findUnique({ where: { name } }));
    return row && { taken: false, holder: row.holder, expiresAt: row.expiresAt };
  };
  const current = await held();
  if (current) return current;
  try {
    // Never taken: the first INSERT wins (the name is the primary key).
    await transaction((tx) => tx.jobLease.create({ data: { name, holder, expiresAt } }));
    return { taken: true, expiresAt };
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    // Another instance made the row first: it holds the lease.
    return (await held())!;
  }
}
