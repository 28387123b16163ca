import { dbProvider, db } from "@/lib/db/client";
import { log } from "@/lib/log";
import pkg from "@/package.json";

export const dynamic = "force-dynamic";

const TIMEOUT_MS = 3000;

// GET /api/health – 200 once the database answers, 503 when it does not.
export async function GET(): Promise<Response> {
  const started = Date.now();
  try {
    await Promise.race([
      db().$queryRawUnsafe("SELECT 1"),
      new Promise((_, reject) => setTimeout(() => reject(new Error("database timed out")), TIMEOUT_MS).unref()),
    ]);
    return Response.json(
      { status: "ok", version: pkg.version, database: dbProvider(), latencyMs: Date.now() - started },
      { headers: { "cache-control": "no-store" } },
    );
  } catch (err) {
    log.warn({ err: (err as Error)?.message }, "health check: database unavailable");
    return Response.json(
      {
        status: "unavailable",
        version: pkg.version,
        error: { code: "SERVICE_UNAVAILABLE", message: "The database is not answering" },
      },
      { status: 503, headers: { "cache-control": "no-store", "retry-after": "5" } },
    );
  }
}
