// A dotenv file's KEY=VALUE lines, shared by `tessera secrets import` and the import operation (secrets.import). What it reads:
//   KEY=value            unquoted: trimmed; " #" starts a comment
//   export KEY=value     the shell's `export ` is allowed
//   KEY="a\nb"           double quotes: \n, \r, \t, \", \\, \$ and \` are escapes; may span lines
//                        (what `tessera env --format dotenv` writes reads back exactly)
//   KEY='literal'        single quotes (and backticks): taken as is; may span lines
//   # comment, blank lines
// No ${VAR} expansion: a value is taken as written. A KEY is an environment variable name (letters,
// digits and "_", not starting with a digit). A line that is none of these, a quote never closed,
// text after a closing quote, an empty value and a KEY given twice are errors, reported with their
// line numbers. Error messages never quote a line: a bad line may well hold a secret.

export type DotenvEntry = { key: string; value: string; line: number };
export type DotenvError = { line: number; message: string };

const ASSIGN = /^(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)[ \t]*=(.*)$/s;
const ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\", $: "$", "`": "`" };

/**
 * An unquoted value up to its comment: " #" (any whitespace, then #) starts one. A linear scan:
 * the regular expression /\s+#.*$/ backtracks quadratically over a long run of spaces without a
 * "#", and a 256 KiB line of them held the server's event loop for about 40 seconds.
 */
function withoutComment(rest: string): string {
  let run = -1; // where the current run of whitespace started
  for (let i = 0; i < rest.length; i++) {
    const ch = rest[i]!;
    if (ch === "#" && run !== -1) return rest.slice(0, run);
    run = /\s/.test(ch) ? (run === -1 ? i : run) : -1;
  }
  return rest;
}

export function parseDotenv(text: string): { entries: DotenvEntry[]; errors: DotenvError[] } {
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
  const entries: DotenvEntry[] = [];
  const errors: DotenvError[] = [];
  const seen = new Map<string, number>();
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i]!.replace(/^\s+/, "");
    if (!raw || raw.startsWith("#")) continue;
    const m = ASSIGN.exec(raw);
    if (!m) {
      const key = /^(?:export[ \t]+)?([^=\s]*)/.exec(raw)?.[1] ?? "";
      errors.push({
        line: lineNo,
        message: raw.includes("=") && key && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? "the name before = is not a variable name (letters, digits and _, not starting with a digit)" : "not a KEY=VALUE line",
      });
      continue;
    }
    const key = m[1]!;
    const rest = m[2]!.replace(/^[ \t]+/, "");
    let value: string;
    const quote = rest[0];
    if (quote === '"' || quote === "'" || quote === "`") {
      // Find the closing quote, joining the following lines while it is not found.
      let body = rest.slice(1);
      let out = "";
      let closed = false;
      let after = "";
      for (;;) {
        let j = 0;
        while (j < body.length) {
          const ch = body[j]!;
          if (quote === '"' && ch === "\\" && j + 1 < body.length) {
            const next = body[j + 1]!;
            out += ESCAPES[next] ?? `\\${next}`;
            j += 2;
            continue;
          }
          if (ch === quote) {
            closed = true;
            after = body.slice(j + 1);
            break;
          }
          out += ch;
          j++;
        }
        if (closed || i + 1 >= lines.length) break;
        out += "\n";
        body = lines[++i]!;
      }
      if (!closed) {
        errors.push({ line: lineNo, message: `the value's ${quote === '"' ? "double quote" : quote === "'" ? "single quote" : "backtick"} is never closed` });
        continue;
      }
      if (!/^\s*(#.*)?$/.test(after)) {
        errors.push({ line: lineNo, message: "unexpected text after the closing quote (put a # before a comment)" });
        continue;
      }
      value = out;
    } else {
      value = rest.startsWith("#") ? "" : withoutComment(rest).trim();
    }
    // An empty value does not name its KEY, nor count as its first setting: the unquoted lines of
    // a multi-line key pasted without quotes look like "<base64>=" (padding), KEY being the secret.
    if (!value) {
      errors.push({ line: lineNo, message: "the value is empty (a secret cannot be empty)" });
      continue;
    }
    const first = seen.get(key);
    if (first !== undefined) {
      errors.push({ line: lineNo, message: `${key} is set again (first on line ${first})` });
      continue;
    }
    seen.set(key, lineNo);
    entries.push({ key, value, line: lineNo });
  }
  return { entries, errors };
}
