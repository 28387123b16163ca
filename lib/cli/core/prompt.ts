// Reading from the user: a value typed at a prompt without echo, stdin, and yes/no confirmations.
// A confirmation without a terminal is refused (exit 2) unless --yes was given: a script must say so.
import { createInterface } from "node:readline";
import { CliError, EXIT } from "./exit";
import type { Io } from "./output";

/** Reads all of stdin (a piped value), as text. One trailing newline is dropped (echo adds it). */
export async function readStdin(io: Io, maxBytes = 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of io.stdin as AsyncIterable<Buffer | string>) {
    const b = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    size += b.length;
    if (size > maxBytes) throw new CliError(`stdin is larger than ${maxBytes} bytes`, EXIT.USAGE);
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}

/** Asks for a hidden value on the terminal: nothing typed is echoed. Ctrl-C cancels (exit 130). */
export function readHidden(io: Io, prompt: string): Promise<string> {
  const stdin = io.stdin;
  if (!stdin.isTTY || !stdin.setRawMode) throw new CliError("no terminal to ask on: pipe the value to stdin (--stdin) instead", EXIT.USAGE);
  // Echo off before the prompt shows: a value pasted as soon as the prompt appears is never echoed.
  stdin.setRawMode(true);
  io.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let value = "";
    stdin.resume();
    (stdin as NodeJS.ReadStream).setEncoding?.("utf8");
    const done = (err?: Error) => {
      stdin.removeListener("data", onData);
      stdin.setRawMode!(false);
      stdin.pause();
      io.stderr.write("\n");
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (data: string | Buffer) => {
      for (const ch of String(data)) {
        if (ch === "\r" || ch === "\n" || ch === "\u0004") return done();
        if (ch === "\u0003") return done(new CliError("cancelled", EXIT.CANCELLED));
        if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
        else if (ch >= " ") value += ch;
      }
    };
    stdin.on("data", onData);
  });
}

/** Asks a yes/no question on stderr; only "y" or "yes" is yes. */
export async function confirm(io: Io, question: string, opts: { yes?: boolean }): Promise<void> {
  if (opts.yes) return;
  if (!io.stdin.isTTY) throw new CliError(`${question.replace(/\?$/, "")}: refusing without a terminal to confirm on; add --yes`, EXIT.USAGE);
  const rl = createInterface({ input: io.stdin, output: io.stderr });
  try {
    const answer = await new Promise<string>((resolve) => rl.question(`${question} [y/N] `, resolve));
    if (!/^y(es)?$/i.test(answer.trim())) throw new CliError("cancelled", EXIT.CANCELLED);
  } finally {
    rl.close();
  }
}
