import type { Instrumentation } from "next";

// Next.js calls register() once when a server instance starts: background jobs start here.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startAuditRetention } = await import("./lib/jobs/audit-retention");
    startAuditRetention();
  }
}

// Every error of a page render, route handler or server action: one log line with the error's
// digest (the reference the error page shows the user) and the request id (proxy.ts; the
// X-Request-Id of the response), so that an operator finds the request from what a user quotes.
export const onRequestError: Instrumentation.onRequestError = async (err, request, context) => {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { logRequestError } = await import("./lib/http/request-error");
  logRequestError(err, request, context);
};
