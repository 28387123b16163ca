// Fixed-window rate limits kept in the database, so that all instances share the counts.
import { dbProvider, transaction } from "../db/client";

export type LimitState = { count: number; retryAfterSeconds: number };

/** The current count for `key` in its window (0 once the window has passed). */
export async function peek(key: string, windowMs: number): Promise<LimitState> {
  return transaction(async (tx) => {
    const row = await tx.rateLimit.findUnique({ where: { key } });
    const now = Date.now();
    if (!row || row.windowStart.getTime() + windowMs <= now) return { count: 0, retryAfterSeconds: 0 };
    return { count: row.count, retryAfterSeconds: Math.ceil((row.windowStart.getTime() + windowMs - now) / 1000) };
  });
}

/**
 * Adds one to `key` (starting a new window when the last one has passed); returns the new state.
 * Race-free on PostgreSQL too, where concurrent hits run at once: the row is made if missing
 * (INSERT … ON CONFLICT DO NOTHING), the window is restarted by a conditional UPDATE that the
 * database re-checks after a concurrent commit (so only one caller restarts it), and every other
 * hit is an atomic increment. Reading the row first and deciding in code let N concurrent callers
 * each start a "new" window with a count of 1.
 */
export async function hit(key: string, windowMs: number): Promise<LimitState> {
  return transaction(async (tx) => {
    const now = new Date();
    const pg = dbProvider() === "postgres";
    const stamp = now.toISOString().replace("Z", "+00:00");
    await tx.$executeRawUnsafe(
      `INSERT INTO "RateLimit" ("key", "count", "windowStart", "updatedAt") VALUES (${pg ? "$1, 0, $2::timestamp(3), $3::timestamp(3)" : "?, 0, ?, ?"}) ON CONFLICT ("key") DO NOTHING`,
      key,
      stamp,
      stamp,
    );
    const restarted = await tx.rateLimit.updateMany({ where: { key, windowStart: { lte: new Date(now.getTime() - windowMs) } }, data: { count: 1, windowStart: now } });
    const updated = restarted.count
      ? await tx.rateLimit.findUniqueOrThrow({ where: { key } })
      : await tx.rateLimit.update({ where: { key }, data: { count: { increment: 1 } } });
    return {
      count: updated.count,
      retryAfterSeconds: Math.max(1, Math.ceil((updated.windowStart.getTime() + windowMs - now.getTime()) / 1000)),
    };
  });
}

export async function reset(key: string): Promise<void> {
  await transaction((tx) => tx.rateLimit.deleteMany({ where: { key } }));
}

/** Gives one attempt back (a success should not use up a shared budget). */
export async function giveBack(key: string): Promise<void> {
  await transaction((tx) => tx.rateLimit.updateMany({ where: { key, count: { gt: 0 } }, data: { count: { decrement: 1 } } }));
}

/** Rows whose window started before this long ago have expired under every limit (the longest window is 1 hour). */
export const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

/** Deletes expired counters (each sign-in attempt may add per-pair rows); returns how many. */
export async function purgeStaleRateLimits(now = new Date()): Promise<number> {
  const { count } = await transaction((tx) => tx.rateLimit.deleteMany({ where: { windowStart: { lt: new Date(now.getTime() - STALE_AFTER_MS) } } }));
  return count;
}
