// `npm run user:reset-link -- <email>`: prints a password reset link for an account, for an
// operator to hand to its owner when the server cannot send mail (no TESSERA_SMTP_URL). The link
// works once, for 30 minutes, and replaces any older one; it is printed here only (never logged),
// and the request is audited (user.password_reset_request, by the system actor "operator").
import nextEnv from "@next/env";
import { randomUUID } from "node:crypto";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");
nextEnv.loadEnvConfig(ROOT, false, { info: () => {}, error: (m: string) => console.error(m) });

const email = process.argv[2];
if (!email || process.argv.length > 3) {
  console.error("usage: npm run user:reset-link -- <email>");
  process.exit(2);
}
const { config, ConfigError } = await import("../config");
try {
  config();
} catch (err) {
  console.error(`tessera: configuration error: ${err instanceof ConfigError ? err.message : String(err)}`);
  process.exit(1);
}
const { closeDb } = await import("../db/client");
const { issueResetLink } = await import("../services/password");
try {
  const { link, expiresAt } = await issueResetLink(email, { requestId: randomUUID(), ip: null, userAgent: "npm run user:reset-link" });
  console.log(link);
  console.error(`tessera: give this link to the account's owner only. It works once, until ${expiresAt.toISOString().slice(0, 16).replace("T", " ")} UTC.`);
  await closeDb();
  process.exit(0);
} catch (err) {
  console.error(`tessera: ${err instanceof Error ? err.message : String(err)}`);
  await closeDb();
  process.exit(1);
}
