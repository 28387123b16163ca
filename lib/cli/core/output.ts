// What the CLI prints. Results go to stdout (a table on a terminal, or JSON with --json);
// messages, warnings, progress and errors go to stderr, so `tessera … --json | jq` stays clean.
// Colours and spinners only on a terminal, and never with NO_COLOR (https://no-color.org) or --no-color.

export type Io = {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  env: NodeJS.ProcessEnv;
};

export const processIo = (): Io => ({ stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env });

export type Style = {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
};

const wrap = (on: boolean, open: number, close: number) => (s: string) => (on ? `\u001b[${open}m${s}\u001b[${close}m` : s);

export function makeStyle(on: boolean): Style {
  return { bold: wrap(on, 1, 22), dim: wrap(on, 2, 22), red: wrap(on, 31, 39), green: wrap(on, 32, 39), yellow: wrap(on, 33, 39), cyan: wrap(on, 36, 39) };
}

export function colorWanted(io: Io, flag: boolean | undefined): boolean {
  if (flag === false) return false;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== "") return false;
  if (io.env.FORCE_COLOR && io.env.FORCE_COLOR !== "0") return true;
  return Boolean(io.stdout.isTTY) && io.env.TERM !== "dumb";
}

/** Strips control characters from server text before it reaches a terminal (no escape-sequence injection). */
export function safeText(s: string): string {
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "�");
}

export type Column<T> = { header: string; get: (row: T) => unknown; /** cut longer text to this width */ max?: number };

function cell(v: unknown): string {
  if (v === null || v === undefined || v === "") return "-";
  if (v instanceof Date) return v.toISOString().replace(/\.\d{3}Z$/, "Z");
  if (Array.isArray(v)) return v.map(cell).join(",");
  return safeText(String(v)).replace(/\s+/g, " ");
}

/** A plain table: a header, aligned columns, two spaces between them. */
export function table<T>(rows: readonly T[], columns: readonly Column<T>[], style: Style): string {
  const cells = rows.map((r) =>
    columns.map((c) => {
      const s = cell(c.get(r));
      return c.max && s.length > c.max ? `${s.slice(0, c.max - 1)}…` : s;
    }),
  );
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => r[i]!.length)));
  const line = (parts: string[]) =>
    parts
      .map((p, i) => (i === parts.length - 1 ? p : p.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [style.bold(line(columns.map((c) => c.header.toUpperCase()))), ...cells.map(line)].join("\n") + "\n";
}

/** Label: value lines for one object. */
export function details(pairs: readonly [string, unknown][], style: Style): string {
  const width = Math.max(...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `${style.dim(`${k}:`.padEnd(width + 1))} ${cell(v)}`).join("\n") + "\n";
}

/** JSON for --json: dates as ISO strings, two-space indent. */
export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** A spinner on stderr while `work` runs, on a terminal only; elsewhere nothing (or one line). */
export async function withSpinner<T>(io: Io, enabled: boolean, label: string, work: () => Promise<T>): Promise<T> {
  if (!enabled || !io.stderr.isTTY) return work();
  const frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
  let i = 0;
  const draw = () => io.stderr.write(`\r${frames[i++ % frames.length]} ${label}`);
  draw();
  const timer = setInterval(draw, 80);
  try {
    return await work();
  } finally {
    clearInterval(timer);
    io.stderr.write(`\r\u001b[2K`);
  }
}

export function relativeTime(date: Date, now = new Date()): string {
  const s = Math.round((date.getTime() - now.getTime()) / 1000);
  const abs = Math.abs(s);
  const [n, unit] = abs < 90 ? [abs, "s"] : abs < 5400 ? [Math.round(abs / 60), "min"] : abs < 129600 ? [Math.round(abs / 3600), "h"] : [Math.round(abs / 86400), "d"];
  return s >= 0 ? `in ${n} ${unit}` : `${n} ${unit} ago`;
}
