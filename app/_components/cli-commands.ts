// The shell commands the dashboard shows for the CLI: its one-line install and `tessera run`.
// Plain functions (no React), used by server and client components alike.

/** Where the server hands out the CLI (app/cli/[file]/route.ts). */
export const CLI_DOWNLOAD_PATH = "/cli/tessera.mjs";

/** The command a workload runs in the examples; users replace it with their own. */
export const EXAMPLE_COMMAND = "python train.py";

/** A word as a POSIX shell reads it: bare when it is safe, single-quoted otherwise. */
export function shellWord(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;
}

/** Downloads the CLI into ~/.local/bin (made if missing) and makes it executable. */
export function installCommand(origin: string): string {
  const url = shellWord(`${origin}${CLI_DOWNLOAD_PATH}`);
  return `mkdir -p ~/.local/bin && curl -fsSL ${url} -o ~/.local/bin/tessera && chmod +x ~/.local/bin/tessera`;
}

/**
 * `tessera run` for a workload, against this server. With `token`, the value goes in the command
 * (the one-time reveal); without it, the command takes the token from TESSERA_TOKEN.
 */
export function runCommand(opts: { origin: string; workspaceId: string; workload: string; token?: string; command?: string }): string {
  const env = [`TESSERA_URL=${shellWord(opts.origin)}`, ...(opts.token ? [`TESSERA_TOKEN=${shellWord(opts.token)}`] : [])];
  return `${env.join(" ")} tessera run --workspace ${shellWord(opts.workspaceId)} --workload ${shellWord(opts.workload)} -- ${opts.command ?? EXAMPLE_COMMAND}`;
}
