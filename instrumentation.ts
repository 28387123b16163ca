// Next.js calls register() once when a server instance starts: background jobs start here.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startAuditRetention } = await import("./lib/jobs/audit-retention");
    startAuditRetention();
  }
}
