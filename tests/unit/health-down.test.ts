import { describe, expect, it } from "vitest";

describe("GET /api/health without a database", () => {
  it("answers 503 with the error envelope", async () => {
    // Nothing listens on port 1: the database does not answer.
    process.env.DATABASE_URL = "postgresql://tessera:hunter2@127.0.0.1:1/tessera";
    const { GET } = await import("@/app/api/health/route");
    const res = await GET();
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
    const body = await res.json();
    expect(body).toMatchObject({ status: "unavailable", error: { code: "SERVICE_UNAVAILABLE" } });
    expect(JSON.stringify(body)).not.toContain("hunter2");
  });
});
