// Configuration: read from the environment once, checked with zod.
//
// A missing or malformed setting is a ConfigError whose message is one line naming the
// variable. When the auth secret or the master key is not supplied, the first start
// generates it under the data directory (mode 0600) and warns; TESSERA_REQUIRE_KEYS=true
// turns that into a refusal (recommended for production).
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { parseDatabaseUrl, redactDatabaseUrl, type DbTarget } from "./db/url";

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = "ConfigError";
  }
}

export type MasterKey = { id: string; key: Buffer };

export type Config = {
  databaseUrl: string;
  database: DbTarget;
  port: number;
  dataDir: string;
  authSecret: string;
  /** The first key is the active one; the others may still unwrap older data keys. */
  masterKeys: MasterKey[];
  requireKeys: boolean;
  publicUrl: string | undefined;
  trustProxy: boolean;
  autoActivate: boolean;
  allowSignup: boolean;
  adminEmails: string[];
  /** Failed token checks (401s, invalid verifications) allowed per client address per minute. */
  authFailureLimit: number;
  /** SEC-16: values sealed under one data key before a new version takes over new writes. */
  dataKeyRotateAfter: number;
  /** `tessera login --web`: the seconds a CLI waits between polls (RFC 8628 `interval`). */
  devicePollIntervalSeconds: number;
  /** The hourly purge (audit retention, expired counters and links): its period, and its first run after start-up. */
  purgeIntervalMs: number;
  purgeFirstAfterMs: number;
  /** V8 old-space limit of the production server process, in MB (0: Node's default). */
  serverHeapMb: number;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  /** OIDC single sign-on, when TESSERA_OIDC_ISSUER is set. */
  oidc: { issuer: string; clientId: string; clientSecret: string; label: string } | null;
  /** Outgoing mail: an SMTP URL (smtp:// or smtps://), or null to write mails to the log instead. */
  smtpUrl: string | null;
  /** The From address of outgoing mail. */
  mailFrom: string;
  /** Dashboard sessions end after this long without a request (SES-06, idle timeout). */
  sessionIdleMs: number;
  /** Dashboard sessions end this long after sign-in, whatever their use (SES-06, absolute timeout). */
  sessionMaxMs: number;
  /** Where each key came from: "env" or the path of the generated file. */
  keySources: { authSecret: string; masterKey: string };
};

const bool = (name: string) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .refine((v) => ["true", "false", "1", "0", "yes", "no", ""].includes(v), {
      message: `must be true or false`,
    })
    .transform((v) => ["true", "1", "yes"].includes(v))
    .describe(name);

/** One master key: `<id>:<base64 of 32 bytes>`, or bare base64 (id "1"). */
function parseMasterKeys(raw: string): MasterKey[] {
  const items = raw
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (!items.length) throw new ConfigError("TESSERA_MASTER_KEY", "is empty");
  const keys: MasterKey[] = [];
  for (const item of items) {
    const sep = item.indexOf(":");
    const id = sep === -1 ? "1" : item.slice(0, sep);
    const material = sep === -1 ? item : item.slice(sep + 1);
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(id)) {
      throw new ConfigError("TESSERA_MASTER_KEY", "each key id must be 1-32 letters, digits, '-' or '_'");
    }
    const key = Buffer.from(material, "base64");
    if (key.length !== 32 || !/^[A-Za-z0-9+/_-]+=*$/.test(material)) {
      throw new ConfigError(
        "TESSERA_MASTER_KEY",
        `key "${id}" must be 32 bytes in base64 (generate one with: openssl rand -base64 32)`,
      );
    }
    if (keys.some((k) => k.id === id)) throw new ConfigError("TESSERA_MASTER_KEY", `key id "${id}" is repeated`);
    keys.push({ id, key });
  }
  return keys;
}

type Env = Record<string, string | undefined>;

/** A whole number of seconds between `min` and `max` (an environment variable's text). */
const wholeSeconds = (min: number, max: number, fallback: number) => {
  const message = `must be a whole number of seconds between ${min} and ${max}`;
  return z
    .string()
    .trim()
    .regex(/^\d{1,7}$/, message)
    .transform(Number)
    .refine((n) => n >= min && n <= max, message)
    .default(fallback);
};

const envSchema = z.object({
  DATABASE_URL: z.string().trim().default("file:./data/tessera.db"),
  PORT: z
    .string()
    .trim()
    .regex(/^\d{1,5}$/, "must be a whole number between 1 and 65535")
    .transform(Number)
    .refine((n) => n >= 1 && n <= 65535, "must be a whole number between 1 and 65535")
    .default(3000),
  TESSERA_DATA_DIR: z.string().trim().min(1).default("./data"),
  TESSERA_REQUIRE_KEYS: bool("TESSERA_REQUIRE_KEYS").default(false),
  TESSERA_PUBLIC_URL: z.url({ protocol: /^https?$/, message: "must be an http(s) URL" }).optional(),
  TESSERA_TRUST_PROXY: bool("TESSERA_TRUST_PROXY").default(false),
  TESSERA_AUTO_ACTIVATE: bool("TESSERA_AUTO_ACTIVATE").default(false),
  TESSERA_ALLOW_SIGNUP: bool("TESSERA_ALLOW_SIGNUP").default(true),
  TESSERA_ADMIN_EMAILS: z
    .string()
    .default("")
    .transform((v) =>
      v
        .split(",")
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean),
    )
    .refine((list) => list.every((e) => z.email().safeParse(e).success), "must be a comma-separated list of emails"),
  TESSERA_AUTH_FAILURE_LIMIT: z
    .string()
    .trim()
    .regex(/^\d{1,10}$/, "must be a whole number of failed token checks per minute (at least 1)")
    .transform(Number)
    .refine((n) => n >= 1, "must be a whole number of failed token checks per minute (at least 1)")
    .default(60),
  TESSERA_DATA_KEY_ROTATE_AFTER: z
    .string()
    .trim()
    .regex(/^\d{1,10}$/, "must be a whole number of encryptions between 1 and 2147483647 (2^31 - 1)")
    .transform(Number)
    .refine((n) => n >= 1 && n <= 2 ** 31 - 1, "must be a whole number of encryptions between 1 and 2147483647 (2^31 - 1)")
    .default(2 ** 30),
  TESSERA_DEVICE_POLL_INTERVAL: wholeSeconds(1, 60, 5),
  TESSERA_PURGE_INTERVAL_SECONDS: wholeSeconds(1, 86_400, 3600),
  TESSERA_PURGE_FIRST_AFTER_SECONDS: wholeSeconds(0, 86_400, 60),
  TESSERA_SERVER_HEAP_MB: z
    .string()
    .trim()
    .regex(/^\d{1,6}$/, "must be a whole number of megabytes (0 for Node's default)")
    .transform(Number)
    .refine((n) => n === 0 || n >= 64, "must be at least 64 (megabytes), or 0 for Node's default")
    .default(256),
  TESSERA_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  TESSERA_OIDC_ISSUER: z.url({ protocol: /^https?$/, message: "must be the issuer URL of your OIDC provider" }).optional(),
  TESSERA_OIDC_CLIENT_ID: z.string().trim().min(1).max(500).optional(),
  TESSERA_OIDC_CLIENT_SECRET: z.string().min(1).max(2000).optional(),
  TESSERA_OIDC_LABEL: z.string().trim().min(1).max(60).default("Single sign-on"),
  TESSERA_SMTP_URL: z
    .url({ protocol: /^smtps?$/, message: "must be smtp://user:password@host:587 or smtps://user:password@host:465" })
    .optional(),
  TESSERA_SESSION_IDLE_MINUTES: z
    .string()
    .trim()
    .regex(/^\d{1,6}$/, "must be a whole number of minutes between 5 and 43200 (30 days)")
    .transform(Number)
    .refine((n) => n >= 5 && n <= 43_200, "must be a whole number of minutes between 5 and 43200 (30 days)")
    .default(720),
  TESSERA_SESSION_MAX_HOURS: z
    .string()
    .trim()
    .regex(/^\d{1,4}$/, "must be a whole number of hours between 1 and 2160 (90 days)")
    .transform(Number)
    .refine((n) => n >= 1 && n <= 2160, "must be a whole number of hours between 1 and 2160 (90 days)")
    .default(168),
  TESSERA_MAIL_FROM: z
    .string()
    .trim()
    .max(200)
    .refine((v) => !/[\r\n]/.test(v), "must not contain line breaks")
    .default("Tessera <no-reply@localhost>"),
});

/** Empty strings count as unset, as in most twelve-factor tools. */
function clean(env: Env): Env {
  const out: Env = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== "") out[k] = v;
  return out;
}

/** Reads a generated key file, or creates it with mode 0600. */
function generatedKey(file: string, make: () => string): string {
  if (existsSync(file)) {
    const mode = statSync(file).mode & 0o777;
    if (mode & 0o077) chmodSync(file, 0o600);
    const value = readFileSync(file, "utf8").trim();
    if (value) return value;
  }
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const value = make();
  writeFileSync(file, value + "\n", { mode: 0o600 });
  chmodSync(file, 0o600);
  return value;
}

export type LoadOptions = {
  env?: Env;
  cwd?: string;
  /** Receives the warnings (default: console.warn). */
  warn?: (message: string) => void;
};

/** Parses and checks the whole configuration. Throws ConfigError with a one-line message. */
export function loadConfig(options: LoadOptions = {}): Config {
  const env = clean(options.env ?? process.env);
  const cwd = options.cwd ?? process.cwd();
  const warn = options.warn ?? ((m: string) => console.warn(m));

  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? "configuration");
    throw new ConfigError(variable, issue.message.replace(/^Invalid input: /, ""));
  }
  const e = parsed.data;

  let oidc: Config["oidc"] = null;
  if (e.TESSERA_OIDC_ISSUER) {
    if (!e.TESSERA_OIDC_CLIENT_ID) throw new ConfigError("TESSERA_OIDC_CLIENT_ID", "is required when TESSERA_OIDC_ISSUER is set");
    if (!e.TESSERA_OIDC_CLIENT_SECRET) {
      throw new ConfigError("TESSERA_OIDC_CLIENT_SECRET", "is required when TESSERA_OIDC_ISSUER is set");
    }
    oidc = {
      issuer: e.TESSERA_OIDC_ISSUER.replace(/\/+$/, ""),
      clientId: e.TESSERA_OIDC_CLIENT_ID,
      clientSecret: e.TESSERA_OIDC_CLIENT_SECRET,
      label: e.TESSERA_OIDC_LABEL,
    };
  }

  const database = parseDatabaseUrl(e.DATABASE_URL, cwd);
  if (!database) {
    throw new ConfigError(
      "DATABASE_URL",
      `must be file:<path> (SQLite) or postgresql://user@host:5432/db (got "${redactDatabaseUrl(e.DATABASE_URL).slice(0, 80)}")`,
    );
  }

  const dataDir = path.resolve(cwd, e.TESSERA_DATA_DIR);
  const missing: string[] = [];

  let authSecret = env.TESSERA_AUTH_SECRET ?? env.NEXTAUTH_SECRET;
  let authSource = "env";
  if (authSecret !== undefined && authSecret.length < 32) {
    throw new ConfigError("TESSERA_AUTH_SECRET", "must be at least 32 characters (generate one with: openssl rand -base64 32)");
  }
  let masterRaw = env.TESSERA_MASTER_KEY;
  let masterSource = "env";
  if (authSecret === undefined) missing.push("TESSERA_AUTH_SECRET");
  if (masterRaw === undefined) missing.push("TESSERA_MASTER_KEY");

  if (missing.length && e.TESSERA_REQUIRE_KEYS) {
    throw new ConfigError(
      missing[0]!,
      `is required because TESSERA_REQUIRE_KEYS=true (generate one with: openssl rand -base64 32${missing[0] === "TESSERA_MASTER_KEY" ? "; format <id>:<base64>" : ""})`,
    );
  }
  // Parse a supplied master key before generating anything.
  let masterKeys = masterRaw !== undefined ? parseMasterKeys(masterRaw) : [];

  if (authSecret === undefined) {
    const file = path.join(dataDir, "auth-secret");
    authSecret = generatedKey(file, () => randomBytes(32).toString("base64url"));
    authSource = file;
  }
  if (masterRaw === undefined) {
    const file = path.join(dataDir, "master-key");
    masterRaw = generatedKey(file, () => `1:${randomBytes(32).toString("base64")}`);
    masterSource = file;
    try {
      masterKeys = parseMasterKeys(masterRaw);
    } catch {
      throw new ConfigError("TESSERA_MASTER_KEY", `the generated key in ${file} is damaged; restore it from a backup`);
    }
  }
  if (missing.length) {
    warn(
      `WARNING: ${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} not set; using generated key files in ${dataDir} (mode 0600). ` +
        `Back them up: without the master key, stored secrets cannot be decrypted. In production supply ${missing.join(" and ")} ` +
        `from your secret store and set TESSERA_REQUIRE_KEYS=true to refuse starting without them.`,
    );
  }

  return {
    databaseUrl: e.DATABASE_URL,
    database,
    port: e.PORT,
    dataDir,
    authSecret,
    masterKeys,
    requireKeys: e.TESSERA_REQUIRE_KEYS,
    publicUrl: e.TESSERA_PUBLIC_URL,
    trustProxy: e.TESSERA_TRUST_PROXY,
    autoActivate: e.TESSERA_AUTO_ACTIVATE,
    allowSignup: e.TESSERA_ALLOW_SIGNUP,
    adminEmails: e.TESSERA_ADMIN_EMAILS,
    authFailureLimit: e.TESSERA_AUTH_FAILURE_LIMIT,
    dataKeyRotateAfter: e.TESSERA_DATA_KEY_ROTATE_AFTER,
    devicePollIntervalSeconds: e.TESSERA_DEVICE_POLL_INTERVAL,
    purgeIntervalMs: e.TESSERA_PURGE_INTERVAL_SECONDS * 1000,
    purgeFirstAfterMs: e.TESSERA_PURGE_FIRST_AFTER_SECONDS * 1000,
    serverHeapMb: e.TESSERA_SERVER_HEAP_MB,
    logLevel: e.TESSERA_LOG_LEVEL,
    oidc,
    smtpUrl: e.TESSERA_SMTP_URL ?? null,
    mailFrom: e.TESSERA_MAIL_FROM,
    sessionIdleMs: e.TESSERA_SESSION_IDLE_MINUTES * 60_000,
    sessionMaxMs: e.TESSERA_SESSION_MAX_HOURS * 3_600_000,
    keySources: { authSecret: authSource, masterKey: masterSource },
  };
}

let cached: Config | undefined;

/** The process-wide configuration, loaded on first use. */
/** The URL users reach Tessera at, without a trailing slash: TESSERA_PUBLIC_URL, else http://localhost:$PORT. */
export function publicBaseUrl(): string {
  return (config().publicUrl ?? `http://localhost:${config().port}`).replace(/\/+$/, "");
}

export function config(): Config {
  cached ??= loadConfig();
  return cached;
}

/** Reads the configuration again on next use (tests that change keys, as a restart would). */
export function resetConfig(): void {
  cached = undefined;
}

/** Environment variables that hand the resolved keys to a child process (the launcher uses this). */
export function keyEnv(c: Config): Record<string, string> {
  return {
    TESSERA_AUTH_SECRET: c.authSecret,
    TESSERA_MASTER_KEY: c.masterKeys.map((k) => `${k.id}:${k.key.toString("base64")}`).join(","),
  };
}
