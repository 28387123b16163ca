// The statements `npm start`'s shell (lib/launcher/start.sh) evals to set the server's environment
// and node options before it execs the server (see lib/launcher/start.ts --handoff).

/** One single-quoted shell word: nothing inside is expanded ($(), backticks, newlines included). */
export const shellQuote = (v: string) => `'${v.replaceAll("'", `'\\''`)}'`;

/**
 * Exports every variable of `env` that differs from `initial` (.env files, generated keys, PORT,
 * NODE_ENV...), then sets `node` (the program start.sh execs) and "$@" (its options). Those two
 * come last, so that a variable of the same name (`node=` in a .env file) cannot choose the program.
 * Throws on a variable name the shell could not take as one.
 */
export function handoffScript(env: Record<string, string | undefined>, initial: Record<string, string | undefined>, execPath: string, nodeArgs: string[]): string {
  const lines: string[] = [];
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined || initial[k] === v) continue;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new Error(`cannot pass the variable "${k.slice(0, 60)}" to the server: not a valid environment variable name`);
    lines.push(`export ${k}=${shellQuote(v)}`);
  }
  lines.push(`node=${shellQuote(execPath)}`, `set -- ${nodeArgs.map(shellQuote).join(" ")}`);
  return lines.join("\n") + "\n";
}
