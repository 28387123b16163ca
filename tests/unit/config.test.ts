import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "@/lib/config";

const KEY = Buffer.alloc(32, 1).toString("base64");
const base = { TESSERA_AUTH_SECRET: "s".repeat(40), TESSERA_MASTER_KEY: `1:${KEY}` };

function load(env: Record<string, string | undefined>, cwd = mkdtempSync(path.join(tmpdir(), "tessera-cfg-"))) {
  const warnings: string[] = [];
  const config = loadConfig({ env, cwd, warn: (m) => warnings.push(m) });
  return { config, warnings, cwd };
}

function failure(env: Record<string, string | undefined>): ConfigError {
  try {
    load(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error("expected a ConfigError");
}

describe("configuration", () => {
  it("has working defaults: SQLite under data/, port 3000", () => {
    const { config, cwd } = load(base);
    expect(config.databaseUrl).toBe("file:./data/tessera.db");
    expect(config.database).toEqual({ provider: "sqlite", file: path.join(cwd, "data/tessera.db") });
    expect(config.port).toBe(3000);
    expect(config.masterKeys).toEqual([{ id: "1", key: Buffer.alloc(32, 1) }]);
  });

  it("reads the mail settings, and refuses what is not an SMTP URL or carries a line break", () => {
    expect(load(base).config).toMatchObject({ smtpUrl: null, mailFrom: "Tessera <no-reply@localhost>" });
    const ok = load({ ...base, TESSERA_SMTP_URL: "smtps://u:p@mail.example.com:465", TESSERA_MAIL_FROM: "Ops <ops@example.com>" }).config;
    expect(ok).toMatchObject({ smtpUrl: "smtps://u:p@mail.example.com:465", mailFrom: "Ops <ops@example.com>" });
    for (const bad of ["mail.example.com", "http://mail.example.com", "smtp//x"]) expect(failure({ ...base, TESSERA_SMTP_URL: bad }).message).toMatch(/^TESSERA_SMTP_URL: /);
    expect(failure({ ...base, TESSERA_MAIL_FROM: "a@example.com\r\nBcc: all@example.com" }).message).toMatch(/^TESSERA_MAIL_FROM: must not contain line breaks/);
  });

  it("reads the token failure limit and the server heap ceiling, and refuses nonsense", () => {
    expect(load(base).config).toMatchObject({ authFailureLimit: 60, serverHeapMb: 256 });
    expect(load({ ...base, TESSERA_AUTH_FAILURE_LIMIT: "500", TESSERA_SERVER_HEAP_MB: "0" }).config).toMatchObject({ authFailureLimit: 500, serverHeapMb: 0 });
    for (const bad of ["0", "-1", "1.5", "lots", "1e3"]) expect(failure({ ...base, TESSERA_AUTH_FAILURE_LIMIT: bad }).message).toMatch(/^TESSERA_AUTH_FAILURE_LIMIT: /);
    for (const bad of ["32", "-256", "256MB"]) expect(failure({ ...base, TESSERA_SERVER_HEAP_MB: bad }).message).toMatch(/^TESSERA_SERVER_HEAP_MB: /);
  });

  it("reads the purge job's period and first-run delay: 3600 s and 60 s by default, within their bounds", () => {
    expect(load(base).config).toMatchObject({ purgeIntervalMs: 3_600_000, purgeFirstAfterMs: 60_000 });
    expect(load({ ...base, TESSERA_PURGE_INTERVAL_SECONDS: "10", TESSERA_PURGE_FIRST_AFTER_SECONDS: "0" }).config).toMatchObject({ purgeIntervalMs: 10_000, purgeFirstAfterMs: 0 });
    for (const bad of ["0", "-1", "1.5", "86401", "hourly"]) expect(failure({ ...base, TESSERA_PURGE_INTERVAL_SECONDS: bad }).message, bad).toMatch(/^TESSERA_PURGE_INTERVAL_SECONDS: /);
    for (const bad of ["-1", "1.5", "86401", "soon"]) expect(failure({ ...base, TESSERA_PURGE_FIRST_AFTER_SECONDS: bad }).message, bad).toMatch(/^TESSERA_PURGE_FIRST_AFTER_SECONDS: /);
  });

  it("SEC-16: reads the data-key encryption limit: default 2^30, at most 2^31 - 1", () => {
    expect(load(base).config.dataKeyRotateAfter).toBe(2 ** 30);
    expect(load({ ...base, TESSERA_DATA_KEY_ROTATE_AFTER: "1000" }).config.dataKeyRotateAfter).toBe(1000);
    expect(load({ ...base, TESSERA_DATA_KEY_ROTATE_AFTER: "2147483647" }).config.dataKeyRotateAfter).toBe(2 ** 31 - 1);
    for (const bad of ["0", "-1", "1.5", "2147483648", "4294967296", "lots", "1e9"]) {
      expect(failure({ ...base, TESSERA_DATA_KEY_ROTATE_AFTER: bad }).message, bad).toMatch(/^TESSERA_DATA_KEY_ROTATE_AFTER: /);
    }
  });

  it("SES-06: reads the session timeouts: idle 720 minutes and absolute 168 hours by default, within their bounds", () => {
    expect(load(base).config).toMatchObject({ sessionIdleMs: 720 * 60_000, sessionMaxMs: 168 * 3_600_000 });
    expect(load({ ...base, TESSERA_SESSION_IDLE_MINUTES: "30", TESSERA_SESSION_MAX_HOURS: "12" }).config).toMatchObject({ sessionIdleMs: 30 * 60_000, sessionMaxMs: 12 * 3_600_000 });
    expect(load({ ...base, TESSERA_SESSION_IDLE_MINUTES: "5", TESSERA_SESSION_MAX_HOURS: "1" }).config).toMatchObject({ sessionIdleMs: 5 * 60_000, sessionMaxMs: 3_600_000 });
    expect(load({ ...base, TESSERA_SESSION_IDLE_MINUTES: "43200", TESSERA_SESSION_MAX_HOURS: "2160" }).config).toMatchObject({ sessionIdleMs: 43_200 * 60_000, sessionMaxMs: 2160 * 3_600_000 });
    for (const bad of ["0", "4", "43201", "-5", "1.5", "12h", "lots"]) {
      expect(failure({ ...base, TESSERA_SESSION_IDLE_MINUTES: bad }).message, bad).toMatch(/^TESSERA_SESSION_IDLE_MINUTES: /);
    }
    for (const bad of ["0", "2161", "-1", "1.5", "7d", "lots"]) {
      expect(failure({ ...base, TESSERA_SESSION_MAX_HOURS: bad }).message, bad).toMatch(/^TESSERA_SESSION_MAX_HOURS: /);
    }
  });

  it("reads the device login poll interval (tessera login --web): default 5 s, 1 to 60", () => {
    expect(load(base).config.devicePollIntervalSeconds).toBe(5);
    expect(load({ ...base, TESSERA_DEVICE_POLL_INTERVAL: "1" }).config.devicePollIntervalSeconds).toBe(1);
    expect(load({ ...base, TESSERA_DEVICE_POLL_INTERVAL: "60" }).config.devicePollIntervalSeconds).toBe(60);
    for (const bad of ["0", "61", "-1", "1.5", "5s", "lots"]) {
      expect(failure({ ...base, TESSERA_DEVICE_POLL_INTERVAL: bad }).message, bad).toMatch(/^TESSERA_DEVICE_POLL_INTERVAL: /);
    }
  });

  it("chooses PostgreSQL by the URL scheme, with an optional schema", () => {
    const { config } = load({ ...base, DATABASE_URL: "postgresql://app:pw@db.internal:5432/tessera?schema=prod" });
    expect(config.database).toEqual({
      provider: "postgres",
      connectionString: "postgresql://app:pw@db.internal:5432/tessera",
      schema: "prod",
    });
  });

  it.each([
    [{ PORT: "abc" }, "PORT", /whole number/],
    [{ PORT: "70000" }, "PORT", /whole number/],
    [{ PORT: "-1" }, "PORT", /whole number/],
    [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL", /file:<path>/],
    [{ DATABASE_URL: "postgresql://u:hunter2@h/db?schema=a;drop" }, "DATABASE_URL", /file:<path>/],
    [{ TESSERA_REQUIRE_KEYS: "maybe" }, "TESSERA_REQUIRE_KEYS", /true or false/],
    [{ TESSERA_ADMIN_EMAILS: "a@b.co,not-an-email" }, "TESSERA_ADMIN_EMAILS", /emails/],
    [{ TESSERA_PUBLIC_URL: "ftp://x" }, "TESSERA_PUBLIC_URL", /http/],
    [{ TESSERA_AUTH_SECRET: "short" }, "TESSERA_AUTH_SECRET", /32 characters/],
    [{ TESSERA_MASTER_KEY: "1:dG9vIHNob3J0" }, "TESSERA_MASTER_KEY", /32 bytes/],
    [{ TESSERA_MASTER_KEY: `bad id!:${KEY}` }, "TESSERA_MASTER_KEY", /key id/],
    [{ TESSERA_MASTER_KEY: `1:${KEY},1:${KEY}` }, "TESSERA_MASTER_KEY", /repeated/],
  ])("TOK-06: rejects %j with one line naming the variable", (over, variable, message) => {
    const err = failure({ ...base, ...over });
    expect(err.variable).toBe(variable);
    expect(err.message.startsWith(`${variable}: `)).toBe(true);
    expect(err.message).toMatch(message);
    expect(err.message).not.toContain("\n");
    expect(err.message).not.toContain("hunter2");
  });

  it("generates missing keys into the data directory with mode 0600, once, and warns", () => {
    const first = load({});
    const dir = path.join(first.cwd, "data");
    for (const f of ["auth-secret", "master-key"]) {
      expect(statSync(path.join(dir, f)).mode & 0o777).toBe(0o600);
    }
    expect(first.warnings).toHaveLength(1);
    expect(first.warnings[0]).toMatch(/TESSERA_AUTH_SECRET and TESSERA_MASTER_KEY are not set/);
    expect(first.warnings[0]).toMatch(/TESSERA_REQUIRE_KEYS=true/);
    expect(first.warnings[0]).not.toContain(first.config.authSecret);
    expect(first.config.keySources.masterKey).toBe(path.join(dir, "master-key"));

    const again = load({}, first.cwd);
    expect(again.config.authSecret).toBe(first.config.authSecret);
    expect(again.config.masterKeys[0]!.key.equals(first.config.masterKeys[0]!.key)).toBe(true);
    expect(readFileSync(path.join(dir, "master-key"), "utf8")).toMatch(/^1:[A-Za-z0-9+/]+=*\n$/);
  });

  it("TOK-06 SEC-07: refuses to generate keys when TESSERA_REQUIRE_KEYS=true", () => {
    const err = failure({ TESSERA_REQUIRE_KEYS: "true", TESSERA_MASTER_KEY: base.TESSERA_MASTER_KEY });
    expect(err.variable).toBe("TESSERA_AUTH_SECRET");
    expect(err.message).toMatch(/required because TESSERA_REQUIRE_KEYS=true/);
    expect(load({ ...base, TESSERA_REQUIRE_KEYS: "true" }).warnings).toEqual([]);
  });

  it("SEC-08: accepts several master keys; the first is active", () => {
    const other = Buffer.alloc(32, 2).toString("base64");
    const { config } = load({ ...base, TESSERA_MASTER_KEY: `k2:${other}, k1:${KEY}` });
    expect(config.masterKeys.map((k) => k.id)).toEqual(["k2", "k1"]);
  });
});
