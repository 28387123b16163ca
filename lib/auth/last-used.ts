// "Last used" (date and address) for tokens, kept off the hot path: a request only notes the use
// in memory; a timer writes the notes in one batch. A token's row is written at most once a
// minute, across all instances: a use is noted only when the stored date (read by the same
// authentication query) is over a minute old, and the batch update re-checks that in SQL.
import { transaction } from "../db/client";
import { log } from "../log";

export const LAST_USED_RESOLUTION_MS = 60_000;
const FLUSH_EVERY_MS = 5_000;

type Use = { at: Date; ip: string | null };
// On globalThis: the production build may load this module more than once (route handlers and
// pages), and the Overview must see the notes the API's requests made.
const shared = globalThis as unknown as { __tesseraTokenUse?: Map<string, Use> };
const pending = (shared.__tesseraTokenUse ??= new Map<string, Use>());
let timer: NodeJS.Timeout | null = null;

/** Notes that a token was used now from `ip`; `storedLastUsedAt` is what the database holds. */
export function noteTokenUse(tokenId: string, storedLastUsedAt: Date | null, ip: string | null, now = new Date()): void {
  if (storedLastUsedAt && now.getTime() - storedLastUsedAt.getTime() < LAST_USED_RESOLUTION_MS) return;
  const seen = pending.get(tokenId);
  if (seen) {
    seen.at = now;
    seen.ip = ip;
    return;
  }
  pending.set(tokenId, { at: now, ip });
  if (!timer) {
    timer = setTimeout(() => void flushTokenUse(), FLUSH_EVERY_MS);
    timer.unref();
  }
}

/**
 * A use of this token noted here but not written yet (the dashboard's Overview reads it so that a
 * call shows at once, not a batch later), or null.
 */
export function unwrittenUse(tokenId: string): Date | null {
  return pending.get(tokenId)?.at ?? null;
}

/** Writes the noted uses (called by the timer; tests call it directly). */
export async function flushTokenUse(): Promise<number> {
  if (timer) clearTimeout(timer);
  timer = null;
  if (pending.size === 0) return 0;
  const batch = [...pending.entries()];
  pending.clear();
  try {
    return await transaction(async (tx) => {
      let written = 0;
      for (const [id, use] of batch) {
        const cutoff = new Date(use.at.getTime() - LAST_USED_RESOLUTION_MS);
        const res = await tx.token.updateMany({
          where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lte: cutoff } }] },
          data: { lastUsedAt: use.at, lastUsedIp: use.ip },
        });
        written += res.count;
      }
      return written;
    });
  } catch (err) {
    // Best effort: a lost "last used" note must never fail or slow a request.
    log.warn({ err: err instanceof Error ? err.message : String(err), tokens: batch.length }, "could not record token last use");
    return 0;
  }
}
