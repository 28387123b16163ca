// A real SMTP server for tests (smtp-server, in process, as in tests/integration/invitation-mail.test.ts)
// that keeps every message it accepts, decoded: recipients, subject, the plain-text part and the
// HTML part (multipart/alternative, quoted-printable or base64, as nodemailer writes them).
// Tests wait for a mail (an event), never for the clock.
import { SMTPServer } from "smtp-server";
import { freePort } from "./server";

export type ReceivedMail = { to: string[]; subject: string; text: string; html: string | null; raw: string };

type Part = { headers: Record<string, string>; body: string };

function parseHeaders(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const i = line.indexOf(":");
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return headers;
}

function splitPart(raw: string): Part {
  const m = /\r?\n\r?\n/.exec(raw);
  if (!m) return { headers: parseHeaders(raw), body: "" };
  return { headers: parseHeaders(raw.slice(0, m.index)), body: raw.slice(m.index + m[0].length) };
}

/** RFC 2047 encoded words (=?utf-8?Q?…?= and =?utf-8?B?…?=) in a header. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_all, _charset: string, enc: string, text: string) =>
      enc.toUpperCase() === "B"
        ? Buffer.from(text, "base64").toString("utf8")
        : Buffer.from(text.replace(/_/g, " ").replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), "latin1").toString("utf8"),
    );
}

function decodeBody(part: Part): string {
  const cte = (part.headers["content-transfer-encoding"] ?? "7bit").toLowerCase();
  let out: string;
  if (cte === "quoted-printable") {
    const bytes = part.body.replace(/=\r?\n/g, "").replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    out = Buffer.from(bytes, "latin1").toString("utf8");
  } else if (cte === "base64") {
    out = Buffer.from(part.body.replace(/\s+/g, ""), "base64").toString("utf8");
  } else {
    // 7bit / 8bit: the raw bytes (read as latin1, one character per byte) are UTF-8.
    out = Buffer.from(part.body, "latin1").toString("utf8");
  }
  return out.replace(/\r\n/g, "\n");
}

/** The leaf parts of a message: text/plain and text/html. */
function leaves(part: Part): Part[] {
  const type = part.headers["content-type"] ?? "text/plain";
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (!/^multipart\//i.test(type) || !boundary) return [part];
  return part.body
    .split(`--${boundary}`)
    .slice(1)
    .filter((chunk) => !chunk.startsWith("--"))
    .flatMap((chunk) => leaves(splitPart(chunk.replace(/^\r?\n/, ""))));
}

export function parseMail(raw: string, to: string[]): ReceivedMail {
  const top = splitPart(raw);
  const parts = leaves(top);
  const of = (type: RegExp) => parts.find((p) => type.test(p.headers["content-type"] ?? "text/plain"));
  const text = of(/^text\/plain/i);
  const html = of(/^text\/html/i);
  return { to, subject: decodeWords(top.headers.subject ?? ""), text: text ? decodeBody(text) : "", html: html ? decodeBody(html) : null, raw };
}

export type Mailbox = {
  /** smtp://127.0.0.1:<port>, for TESSERA_SMTP_URL. */
  url: string;
  received: ReceivedMail[];
  /** The first mail (already received, or the next one to arrive) that matches. */
  waitFor: (match: (m: ReceivedMail) => boolean) => Promise<ReceivedMail>;
  /** The next mail to arrive after this call that matches (mails already received do not count). */
  next: (match: (m: ReceivedMail) => boolean) => Promise<ReceivedMail>;
  close: () => Promise<void>;
};

export async function startMailbox(): Promise<Mailbox> {
  const port = await freePort();
  const received: ReceivedMail[] = [];
  let waiting: { match: (m: ReceivedMail) => boolean; resolve: (m: ReceivedMail) => void }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, session, cb) {
      let data = "";
      stream.on("data", (c: Buffer) => (data += c.toString("latin1")));
      stream.on("end", () => {
        const mail = parseMail(data, session.envelope.rcptTo.map((r) => r.address));
        received.push(mail);
        const due = waiting.filter((w) => w.match(mail));
        waiting = waiting.filter((w) => !w.match(mail));
        due.forEach((w) => w.resolve(mail));
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    waitFor: (match) => {
      const found = received.find(match);
      return found ? Promise.resolve(found) : new Promise((resolve) => waiting.push({ match, resolve }));
    },
    next: (match) => new Promise((resolve) => waiting.push({ match, resolve })),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The verification link in a mail (text part). */
export function linkIn(mail: ReceivedMail, path: string): string {
  const m = new RegExp(`https?://\\S+${path.replace(/[/]/g, "\\/")}\\S+`).exec(mail.text);
  if (!m) throw new Error(`no ${path} link in the mail "${mail.subject}"`);
  return m[0];
}
