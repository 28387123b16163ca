// The "expires soon" rule: relative to the token's current lifetime, never earlier than 3 days
// before the expiry. A fresh token of the default 1-day lifetime is not "soon".
import { describe, expect, it } from "vitest";
import { expiresSoon } from "@/lib/schemas/token";

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 11, 2, 12, 0, 0);
/** A token of `lifetime` ms, with `left` ms to go at NOW. */
const soon = (lifetime: number, left: number) => expiresSoon(new Date(NOW + left - lifetime), new Date(NOW + left), NOW);

describe("expiresSoon", () => {
  it("does not badge a 1-day token when it is created, only in its last fifth (4.8 hours)", () => {
    expect(soon(DAY, DAY)).toBe(false);
    expect(soon(DAY, 5 * HOUR)).toBe(false);
    expect(soon(DAY, 4.8 * HOUR + 1000)).toBe(false);
    expect(soon(DAY, 4.8 * HOUR - 1000)).toBe(true);
    expect(soon(DAY, HOUR)).toBe(true);
  });

  it("uses the last fifth for short lifetimes and at most 3 days for long ones", () => {
    expect(soon(7 * DAY, 1.5 * DAY)).toBe(false);
    expect(soon(7 * DAY, 1.3 * DAY)).toBe(true);
    expect(soon(15 * DAY, 3 * DAY - 1000)).toBe(true);
    expect(soon(90 * DAY, 3 * DAY + 1000)).toBe(false);
    expect(soon(90 * DAY, 3 * DAY - 1000)).toBe(true);
    expect(soon(365 * DAY, 10 * DAY)).toBe(false);
  });

  it("is false once expired, and at the expiry itself", () => {
    expect(soon(DAY, 0)).toBe(false);
    expect(soon(DAY, -HOUR)).toBe(false);
  });

  it("accepts ISO strings as the API returns them", () => {
    expect(expiresSoon(new Date(NOW - 23 * HOUR).toISOString(), new Date(NOW + HOUR).toISOString(), NOW)).toBe(true);
  });
});
