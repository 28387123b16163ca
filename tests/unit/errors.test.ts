import { describe, expect, it } from "vitest";
import { toAppError } from "@/lib/errors";

// How thrown database conditions reach the client: never a bare 500 for a known, passing condition.
describe("toAppError", () => {
  it.each([
    ["P2002", "CONFLICT", 409],
    ["P2025", "NOT_FOUND", 404],
    ["P2034", "CONFLICT", 409],
    ["P2028", "SERVICE_UNAVAILABLE", 503],
    ["P1008", "SERVICE_UNAVAILABLE", 503],
    ["P1001", "SERVICE_UNAVAILABLE", 503],
    ["P9999", "INTERNAL", 500],
  ])("LOG-07: maps Prisma's %s to %s", (code, expected, status) => {
    const e = toAppError(Object.assign(new Error("boom: secret detail"), { code }));
    expect(e.code).toBe(expected);
    expect(e.status).toBe(status);
    // The original message stays internal (the cause), never in what the client sees.
    expect(e.message).not.toContain("secret detail");
  });

  it("asks for a retry after a transaction that could not start in time", () => {
    expect(toAppError(Object.assign(new Error("Unable to start a transaction in the given time"), { code: "P2028" })).retryAfterSeconds).toBe(1);
  });
});
