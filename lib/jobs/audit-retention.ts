// The audit retention job: once a minute after start-up, then every hour, each instance deletes
// events older than their workspace's retention (idempotent, so several instances may run it).
import { log } from "../log";
import { purgeExpiredAuditEvents } from "../services/audit";
import { purgeExpiredDeviceAuthorizations } from "../services/device";
import { purgeExpiredResetLinks } from "../services/password";
import { purgeStaleRateLimits } from "../services/rate-limit";

export const PURGE_EVERY_MS = 60 * 60 * 1000;
const FIRST_AFTER_MS = 60 * 1000;

let started = false;

async function run(): Promise<void> {
  try {
    const deleted = await purgeExpiredAuditEvents();
    if (deleted) log.info({ deleted }, "audit retention: old events deleted");
    // Expired rate-limit counters (sign-in, sign-up, invitation limits) go in the same hourly run.
    const counters = await purgeStaleRateLimits();
    if (counters) log.debug({ deleted: counters }, "expired rate-limit counters deleted");
    // Device logins (tessera login --web) a day past their 10-minute life.
    const devices = await purgeExpiredDeviceAuthorizations();
    if (devices) log.debug({ deleted: devices }, "expired device logins deleted");
    // Password reset links a day past their 30-minute life.
    const links = await purgeExpiredResetLinks();
    if (links) log.debug({ deleted: links }, "expired password reset links deleted");
  } catch (err) {
    log.warn({ err: err instanceof Error ? err.message : String(err) }, "audit retention: purge failed; retrying at the next run");
  }
}

export function startAuditRetention(): void {
  if (started) return;
  started = true;
  setTimeout(() => {
    void run();
    setInterval(() => void run(), PURGE_EVERY_MS).unref();
  }, FIRST_AFTER_MS).unref();
}
