// Fixed-window rate limits kept in the database, so that all instances share the counts.
import { transaction } from "../db/client";

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

/** Adds one to `key` (starting a new window when the last one has passed); returns the new state. */
export async function hit(key: string, windowMs: number): Promise<LimitState> {
  return transaction(async (tx) => {
    const now = new Date();
    const row = await tx.rateLimit.findUnique({ where: { key } });
    const fresh = !row || row.windowStart.getTime() + windowMs <= now.getTime();
    const updated = fresh
      ? await tx.rateLimit.upsert({
          where: { key },
          create: { key, count: 1, windowStart: now },
          update: { count: 1, windowStart: now },
        })
      : await tx.rateLimit.update({ where: { key }, data: { count: { increment: 1 } } });
    return {
      count: updated.count,
      retryAfterSeconds: Math.ceil((updated.windowStart.getTime() + windowMs - now.getTime()) / 1000),
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
