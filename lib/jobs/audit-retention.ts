// The hourly purge: events older than their workspace's retention, expired rate-limit counters,
// device logins and password reset links. Every instance schedules it (first after
// TESSERA_PURGE_FIRST_AFTER_SECONDS, then every TESSERA_PURGE_INTERVAL_SECONDS), but each run first
// takes the "audit-retention" lease (lib/services/job-lease.ts), so that when several instances
// serve one database one of them purges and the others skip. The holder renews its lease at each
// run; the lease lasts two periods, so a crashed holder's lease expires and another instance takes
// the job over within three periods.
import { config } from "../config";
import { log } from "../log";
import { purgeExpiredAuditEvents } from "../services/audit";
import { purgeExpiredDeviceAuthorizations } from "../services/device";
import { INSTANCE_ID, takeLease } from "../services/job-lease";
import { purgeExpiredResetLinks } from "../services/password";
import { purgeStaleRateLimits } from "../services/rate-limit";

export const PURGE_LEASE = "audit-retention";

let started = false;

/** One run of the purge, if this instance gets the lease: "ran" or "skipped" ("failed" is logged). */
export async function runPurge(holder = INSTANCE_ID, periodMs = config().purgeIntervalMs): Promise<"ran" | "skipped" | "failed"> {
  try {
    const lease = await takeLease(PURGE_LEASE, holder, 2 * periodMs);
    if (!lease.taken) {
      log.debug({ instance: holder, holder: lease.holder, leaseUntil: lease.expiresAt.toISOString() }, "purge: skipped, another instance holds the lease");
      return "skipped";
    }
    log.debug({ instance: holder, leaseUntil: lease.expiresAt.toISOString() }, "purge: lease taken, running");
    const deleted = await purgeExpiredAuditEvents();
    if (deleted) log.info({ deleted, instance: holder }, "audit retention: old events deleted");
    // Expired rate-limit counters (sign-in, sign-up, invitation limits) go in the same hourly run.
    const counters = await purgeStaleRateLimits();
    if (counters) log.debug({ deleted: counters }, "expired rate-limit counters deleted");
    // Device logins (tessera login --web) a day past their 10-minute life.
    const devices = await purgeExpiredDeviceAuthorizations();
    if (devices) log.debug({ deleted: devices }, "expired device logins deleted");
    // Password reset links a day past their 30-minute life.
    const links = await purgeExpiredResetLinks();
    if (links) log.debug({ deleted: links }, "expired password reset links deleted");
    log.debug({ instance: holder, events: deleted }, "purge: run finished");
    return "ran";
  } catch (err) {
    log.warn({ err: err instanceof Error ? err.message : String(err), instance: holder }, "audit retention: purge failed; retrying at the next run");
    return "failed";
  }
}

export function startAuditRetention(): void {
  if (started) return;
  started = true;
  const { purgeIntervalMs, purgeFirstAfterMs } = config();
  setTimeout(() => {
    void runPurge();
    setInterval(() => void runPurge(), purgeIntervalMs).unref();
  }, purgeFirstAfterMs).unref();
}
