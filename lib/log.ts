// The one logger (pino, JSON lines on stdout). Values under sensitive keys are censored, so a
// token, secret, password or cookie cannot reach the log even when an object is logged whole.
import pino from "pino";

const SENSITIVE = [
  "authorization",
  "cookie",
  "password",
  "passwordHash",
  "token",
  "tokenHash",
  "hash",
  "secret",
  "value",
  "ciphertext",
  "wrappedKey",
  "authSecret",
  "masterKeys",
];

export const REDACT_PATHS = [
  ...SENSITIVE,
  ...SENSITIVE.map((k) => `*.${k}`),
  ...SENSITIVE.map((k) => `*.*.${k}`),
  'headers["authorization"]',
  'headers["cookie"]',
  "req.headers.authorization",
  "req.headers.cookie",
];

function level(): string {
  const l = process.env.TESSERA_LOG_LEVEL;
  return l && ["fatal", "error", "warn", "info", "debug", "trace", "silent"].includes(l) ? l : "info";
}

export const log = pino({
  level: level(),
  base: { service: "tessera" },
  redact: { paths: REDACT_PATHS, censor: "[redacted]" },
  timestamp: pino.stdTimeFunctions.isoTime,
});
