// The server's log line for an error that Next.js reports (instrumentation.ts onRequestError).
import type { Instrumentation } from "next";
import { log } from "../log";

type Args = Parameters<Instrumentation.onRequestError>;

const ID = /^[A-Za-z0-9._-]{8,64}$/;

export function logRequestError(err: Args[0], request: Args[1], context: Args[2]): void {
  const e = err instanceof Error ? (err as Error & { digest?: unknown }) : null;
  const given = request.headers["x-request-id"];
  const requestId = typeof given === "string" && ID.test(given) ? given : null;
  log.error(
    {
      digest: typeof e?.digest === "string" ? e.digest : null,
      requestId,
      method: request.method,
      // The route's pattern (/invite/[code]), not the address: a path or query can carry a
      // one-time code or token.
      route: context.routePath,
      routeType: context.routeType,
      err: e ? { name: e.name, message: e.message, stack: e.stack } : String(err),
    },
    "request failed",
  );
}
