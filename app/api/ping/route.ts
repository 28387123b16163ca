export const dynamic = "force-dynamic";

// GET /api/ping – liveness without touching the database (load balancers; the benchmark's baseline)
export function GET(): Response {
  return Response.json({ ok: true }, { headers: { "cache-control": "no-store" } });
}
