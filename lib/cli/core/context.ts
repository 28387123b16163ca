// One command's context: the global options (--profile, --url, --workspace, --json, --yes,
// --no-color) resolved with the environment and the profile, the SDK client, and the output.
//
// Precedence, highest first: a flag; TESSERA_URL / TESSERA_TOKEN / TESSERA_WORKSPACE /
// TESSERA_PROFILE; the profile (--profile, TESSERA_PROFILE, the file's `current`, or "default");
// the token's own workspace (a token acts in one workspace).
import { Tessera } from "../../sdk";
import { CLI_VERSION } from "../version";
import { checkProfileName, configPath, DEFAULT_PROFILE, loadConfig, saveConfig, type Config, type Profile } from "./config";
import { CliError, EXIT } from "./exit";
import { colorWanted, details, json, makeStyle, safeText, table, withSpinner, type Column, type Io, type Style } from "./output";

export type GlobalOptions = { profile?: string; url?: string; workspace?: string; json?: boolean; yes?: boolean; color?: boolean };

export const DEFAULT_URL = "http://localhost:3000";

/** The server's address, checked: http(s), no user name or password in it (it would show in errors). */
export function checkServerUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliError(`"${safeText(raw)}" is not a server address: give one such as https://tessera.example.com (--url or TESSERA_URL)`, EXIT.USAGE);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new CliError(`the server address must start with http:// or https:// (--url or TESSERA_URL)`, EXIT.USAGE);
  if (url.username || url.password) throw new CliError("the server address must not contain a user name or password (--url, TESSERA_URL or the profile)", EXIT.USAGE);
  if (url.search || url.hash) throw new CliError("the server address must not have a query or fragment (--url or TESSERA_URL)", EXIT.USAGE);
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

/** Whether two addresses are the same server (scheme, host, port and path prefix). */
export function sameServer(a: string, b: string): boolean {
  try {
    return checkServerUrl(a) === checkServerUrl(b);
  } catch {
    return false;
  }
}

export class Ctx {
  readonly io: Io;
  readonly style: Style;
  readonly json: boolean;
  readonly yes: boolean;
  readonly color: boolean;
  readonly configPath: string;
  readonly profileName: string;
  /** Where the token came from: the environment overrides the profile. */
  readonly tokenSource: "env" | "profile" | undefined;
  readonly url: string;
  readonly #opts: GlobalOptions;
  readonly #token: string | undefined;
  #config: Config | undefined;
  #client: Tessera | undefined;
  #workspace: string | undefined;
  /** The profile's server, when its token was held back because another address is in use. */
  readonly #withheldFor: string | undefined;
  #urlError: CliError | undefined;

  constructor(io: Io, opts: GlobalOptions) {
    this.io = io;
    this.#opts = opts;
    this.json = Boolean(opts.json);
    this.yes = Boolean(opts.yes);
    this.color = colorWanted(io, opts.color);
    this.style = makeStyle(this.color);
    this.configPath = configPath(io.env);
    this.profileName = checkProfileName(opts.profile ?? io.env.TESSERA_PROFILE ?? this.config.current ?? DEFAULT_PROFILE);
    const profile = this.profile;
    const envToken = io.env.TESSERA_TOKEN?.trim();
    const rawUrl = opts.url ?? io.env.TESSERA_URL ?? profile.url ?? DEFAULT_URL;
    try {
      this.url = checkServerUrl(rawUrl);
    } catch (err) {
      // Reported when a command needs the server, so that `profiles use` still repairs a bad profile.
      this.url = rawUrl;
      this.#urlError = err as CliError;
    }
    // A profile's token goes to the profile's server only: never to an address from --url or
    // TESSERA_URL that differs (a pasted command must not send a person's token elsewhere).
    const profileToken = profile.token && sameServer(this.url, profile.url ?? DEFAULT_URL) ? profile.token : undefined;
    this.#withheldFor = profile.token && !profileToken ? (profile.url ?? DEFAULT_URL) : undefined;
    this.#token = envToken || profileToken;
    this.tokenSource = envToken ? "env" : profileToken ? "profile" : undefined;
  }

  get config(): Config {
    this.#config ??= loadConfig(this.configPath);
    return this.#config;
  }

  /** The active profile (empty when it does not exist yet). */
  get profile(): Profile {
    return Object.hasOwn(this.config.profiles, this.profileName) ? this.config.profiles[this.profileName]! : {};
  }

  get hasToken(): boolean {
    return this.#token !== undefined;
  }

  /** Changes the active profile and writes the file (mode 0600). */
  saveProfile(update: (p: Profile) => Profile | undefined, opts: { makeCurrent?: boolean } = {}): void {
    const cfg = this.config;
    const next = update({ ...this.profile });
    if (next) cfg.profiles[this.profileName] = next;
    else delete cfg.profiles[this.profileName];
    if (opts.makeCurrent) cfg.current = this.profileName;
    saveConfig(cfg, this.configPath);
  }

  writeConfig(): void {
    saveConfig(this.config, this.configPath);
  }

  /** An SDK client for `url` with the given token (or none). */
  clientFor(token: string | undefined, url = this.url): Tessera {
    if (url === this.url && this.#urlError) throw this.#urlError;
    checkServerUrl(url);
    try {
      return new Tessera({ baseUrl: url, token, userAgent: `tessera-cli/${CLI_VERSION}`, timeoutMs: 30_000 });
    } catch (err) {
      throw new CliError(`${(err as Error).message.replace(/^Tessera: baseUrl/, "the server address (--url or TESSERA_URL)")}`, EXIT.USAGE);
    }
  }

  /** The client with the caller's token; without one, exit 3 with what to do. */
  client(): Tessera {
    if (!this.#token && this.#withheldFor) {
      throw new CliError(
        `the profile "${this.profileName}" is logged in to ${safeText(this.#withheldFor)}, not ${safeText(this.url)}: its token is not sent elsewhere. Log in there (tessera login --url ${safeText(this.url)} --profile <name>), use that profile, or set TESSERA_TOKEN`,
        EXIT.AUTH,
      );
    }
    if (!this.#token) {
      throw new CliError(
        `not logged in${this.profileName !== DEFAULT_PROFILE ? ` (profile ${this.profileName})` : ""}: run tessera login, or set TESSERA_TOKEN`,
        EXIT.AUTH,
      );
    }
    this.#client ??= this.clientFor(this.#token);
    return this.#client;
  }

  /** The workspace to act in: --workspace, TESSERA_WORKSPACE, the profile's, or the token's own. */
  async workspaceId(): Promise<string> {
    if (this.#workspace) return this.#workspace;
    const explicit = this.#opts.workspace ?? this.io.env.TESSERA_WORKSPACE ?? this.io.env.TESSERA_WORKSPACE_ID;
    // A profile's workspace belongs to the profile's token, not to one given in TESSERA_TOKEN.
    const fromProfile = this.tokenSource === "profile" ? this.profile.workspace : undefined;
    let id = explicit?.trim() || fromProfile;
    if (!id) id = (await this.client().me.get()).workspace.id;
    this.#workspace = id;
    return id;
  }

  // ---- output -------------------------------------------------------------------------------

  out(text: string): void {
    this.io.stdout.write(text);
  }

  /** A message for people (stderr), such as "Created token ci-deploy". */
  note(text: string): void {
    this.io.stderr.write(`${text}\n`);
  }

  success(text: string): void {
    if (!this.json) this.note(`${this.style.green("✓")} ${text}`);
  }

  warn(text: string): void {
    this.note(`${this.style.yellow("warning:")} ${text}`);
  }

  /** A list: JSON (an array) with --json, a table otherwise, or a hint when empty. */
  list<T>(rows: readonly T[], columns: readonly Column<T>[], empty: string): void {
    if (this.json) return this.out(json(rows));
    if (!rows.length) return this.note(this.style.dim(empty));
    this.out(table(rows, columns, this.style));
  }

  /** One object: JSON with --json, labelled lines otherwise. */
  item(value: unknown, pairs: readonly [string, unknown][]): void {
    if (this.json) return this.out(json(value));
    this.out(details(pairs, this.style));
  }

  spin<T>(label: string, work: () => Promise<T>): Promise<T> {
    return withSpinner(this.io, this.color && !this.json, label, work);
  }
}
