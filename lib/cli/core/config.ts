// Profiles: several servers and workspaces, in one JSON file created with mode 0600 (its folder
// 0700), written atomically. TESSERA_CONFIG names another file. The token it holds is never
// printed: commands show its kind, name and expiry instead (tessera whoami).
//
//   { "current": "default",
//     "profiles": { "default": { "url": "https://tessera.example.com", "token": "tsr_usr_…", "workspace": "cm…" } } }
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { CliError, EXIT } from "./exit";

export type Profile = {
  /** Tessera's address. */
  url?: string;
  /** The token (tsr_…): never printed. */
  token?: string;
  /** The workspace commands act in (the token's, unless `workspaces use` chose another). */
  workspace?: string;
  /** What the token is, to show without a request: kept at login. */
  tokenId?: string;
  tokenName?: string;
  tokenKind?: string;
  tokenExpiresAt?: string;
  user?: string | null;
  /** How the token was got: "web" (made by login --web, cancelled by logout) or "token". */
  loginMethod?: string;
};

export type Config = { current?: string; profiles: Record<string, Profile> };

export const DEFAULT_PROFILE = "default";
const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TESSERA_CONFIG) return env.TESSERA_CONFIG;
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), ".config");
  return join(base, "tessera", "config.json");
}

export function checkProfileName(name: string): string {
  if (!PROFILE_NAME.test(name)) throw new CliError(`"${name}" is not a valid profile name (letters, digits, "-", "_" and ".", at most 64)`, EXIT.USAGE);
  return name;
}

export function loadConfig(path = configPath()): Config {
  if (!existsSync(path)) return { profiles: {} };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new CliError(`cannot read ${path}: ${(err as Error).message.split("\n")[0]} (fix or delete the file)`);
  }
  if (!raw || typeof raw !== "object" || typeof (raw as Config).profiles !== "object" || (raw as Config).profiles === null) {
    throw new CliError(`${path} is not a Tessera configuration (fix or delete the file)`);
  }
  const cfg = raw as Config;
  // A profile is a plain object of strings: anything else in the file is dropped, never run.
  const profiles: Record<string, Profile> = {};
  for (const [name, p] of Object.entries(cfg.profiles)) {
    // Only valid names ("__proto__" is none: it would set the object's prototype).
    if (!p || typeof p !== "object" || !PROFILE_NAME.test(name)) continue;
    const clean: Profile = {};
    for (const key of ["url", "token", "workspace", "tokenId", "tokenName", "tokenKind", "tokenExpiresAt", "user", "loginMethod"] as const) {
      const v = (p as Record<string, unknown>)[key];
      if (typeof v === "string") clean[key] = v;
    }
    profiles[name] = clean;
  }
  return { current: typeof cfg.current === "string" ? cfg.current : undefined, profiles };
}

/** Writes the whole file: a temporary file with mode 0600, then a rename over the old one. */
export function saveConfig(cfg: Config, path = configPath()): void {
  const dir = dirname(path);
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  // A new file of an unguessable name ("wx": never through a link or into someone else's file).
  const tmp = `${path}.${randomBytes(8).toString("hex")}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(cfg, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

/** True when the file can be read by others (a warning: it holds tokens). */
export function looselyReadable(path = configPath()): boolean {
  try {
    return (statSync(path).mode & 0o077) !== 0;
  } catch {
    return false;
  }
}
