// Small pure helpers shared by the Tokens page (server) and its dialogs (client).

export const DAY_MS = 24 * 60 * 60 * 1000;

/** Expiry presets in days (product: 1 day is the default; 7, 30, 90). */
export const EXPIRY_PRESETS = [1, 7, 30, 90] as const;

/**
 * The presets a workspace allows, plus its maximum when that is not a preset, and its default
 * token expiry (`defaultDays`) when that is neither.
 */
export function presetsFor(maxDays: number, defaultDays?: number): number[] {
  const presets: number[] = EXPIRY_PRESETS.filter((d) => d <= maxDays);
  if (!presets.includes(maxDays)) presets.push(maxDays);
  if (defaultDays !== undefined && defaultDays < maxDays && !presets.includes(defaultDays)) presets.push(defaultDays);
  return presets.sort((a, b) => a - b);
}

export function days(n: number): string {
  return `${n} day${n === 1 ? "" : "s"}`;
}

/** A stable, time-zone-independent date for server-rendered lists: 2025-06-02 14:30 UTC. */
export function formatUtc(d: Date | string): string {
  return `${new Date(d).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** "in 23 hours", "5 days ago": coarse, for reading a list at a glance. */
export function relative(d: Date | string, now = Date.now()): string {
  const diff = new Date(d).getTime() - now;
  const abs = Math.abs(diff);
  const [n, unit] =
    abs < 60 * 60 * 1000
      ? [Math.max(1, Math.round(abs / 60_000)), "minute"]
      : abs < 2 * DAY_MS
        ? [Math.round(abs / (60 * 60 * 1000)), "hour"]
        : [Math.round(abs / DAY_MS), "day"];
  const text = `${n} ${unit}${n === 1 ? "" : "s"}`;
  return diff >= 0 ? `in ${text}` : `${text} ago`;
}

export type ExpiryChoice = { expiresInDays: number } | { expiresAt: string };

/**
 * A custom date (YYYY-MM-DD, local) as an expiry at the current time of day on that date. The
 * last allowed date is pulled back just under the workspace maximum (daylight-saving shifts
 * would otherwise push it an hour over); anything further is sent as chosen, and the service
 * says that it is too far.
 */
export function customExpiry(day: string, maxDays: number, now = new Date()): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const at = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), now.getHours(), now.getMinutes(), now.getSeconds());
  if (Number.isNaN(at.getTime())) return null;
  const cap = now.getTime() + maxDays * DAY_MS - 5 * 60_000;
  const t = at.getTime() > cap && at.getTime() - cap < 3 * 60 * 60 * 1000 ? cap : at.getTime();
  return new Date(t).toISOString();
}

/** YYYY-MM-DD of a local date `offsetDays` from today (for <input type="date"> bounds). */
export function localDay(offsetDays: number, now = new Date()): string {
  const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() + offsetDays);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Field errors keyed by the input's field name (the action nests the token input). */
export function fieldErrors(details: { path: string; message: string }[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of details ?? []) {
    const field = d.path.replace(/^(token|change)\./, "").split(".")[0]!;
    const key = field === "expiresInDays" ? "expiresAt" : field;
    out[key] ??= d.message;
  }
  return out;
}
