// The one mailer. With TESSERA_SMTP_URL set, mail goes out over SMTP (nodemailer); without it,
// the mail is written to the server log instead. Credentials in a mail (an invitation link) are
// named in `sensitive` and never reach the log: there they are replaced by "[redacted]", and the
// caller shows the link to the person who asked for the mail.
import nodemailer, { type Transporter } from "nodemailer";
import { config } from "./config";
import { log } from "./log";

export type Mail = { to: string; subject: string; text: string; html?: string; sensitive?: string[] };
/** sent: accepted by the SMTP server; logged: no SMTP configured; failed: SMTP refused or unreachable. */
export type MailDelivery = "sent" | "logged" | "failed";

const globalForMail = globalThis as unknown as { __tesseraMail?: { url: string; transport: Transporter } };

function transport(url: string): Transporter {
  const held = globalForMail.__tesseraMail;
  if (held && held.url === url) return held.transport;
  const t = nodemailer.createTransport(url, { from: config().mailFrom });
  globalForMail.__tesseraMail = { url, transport: t };
  return t;
}

function redact(text: string, sensitive: string[] = []): string {
  return sensitive.filter(Boolean).reduce((t, s) => t.split(s).join("[redacted]"), text);
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
/** Text for HTML: every character that could open markup or end an attribute is escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/**
 * A notification mail in plain text and HTML from one description, so the two never say different
 * things. Every piece is text: the HTML escapes it (names, reasons and addresses come from users),
 * and the only link is `action.url`, which must be one of Tessera's own (an http(s) URL; anything
 * else is refused). `sensitive` names what must never reach the log (a reset or verification link).
 */
export function composeMail(m: {
  to: string;
  subject: string;
  paragraphs: string[];
  action?: { label: string; url: string };
  footer?: string;
  sensitive?: string[];
}): Mail {
  if (m.action && !/^https?:\/\//.test(m.action.url)) throw new Error("composeMail: the action link must be an http(s) URL");
  const text = [...m.paragraphs, ...(m.action ? [`${m.action.label}: ${m.action.url}`] : []), ...(m.footer ? [m.footer] : [])].join("\n\n") + "\n";
  const p = (t: string) => `<p style="margin:0 0 16px">${escapeHtml(t).replace(/\n/g, "<br>")}</p>`;
  const html =
    `<!doctype html><html><body style="font-family:system-ui,-apple-system,Segoe UI,sans-serif;font-size:15px;line-height:1.5;color:#111827;max-width:560px;margin:0 auto;padding:24px">` +
    `<p style="margin:0 0 24px;font-weight:600">Tessera</p>` +
    m.paragraphs.map(p).join("") +
    (m.action
      ? `<p style="margin:24px 0"><a href="${escapeHtml(m.action.url)}" style="background:#111827;color:#ffffff;padding:10px 16px;border-radius:6px;text-decoration:none;display:inline-block">${escapeHtml(m.action.label)}</a></p>` +
        `<p style="margin:0 0 16px;font-size:13px;color:#4b5563">Or open this address: ${escapeHtml(m.action.url)}</p>`
      : "") +
    (m.footer ? `<p style="margin:24px 0 0;font-size:13px;color:#4b5563">${escapeHtml(m.footer)}</p>` : "") +
    `</body></html>`;
  return { to: m.to, subject: m.subject.replace(/[\r\n]+/g, " "), text, html, ...(m.sensitive ? { sensitive: m.sensitive } : {}) };
}

/** Sends a mail; never throws (the caller's change has already been committed). */
export async function sendMail(mail: Mail): Promise<MailDelivery> {
  const url = config().smtpUrl;
  if (!url) {
    log.info({ mail: { to: mail.to, subject: mail.subject, body: redact(mail.text, mail.sensitive) } }, "mail not sent: TESSERA_SMTP_URL is not set");
    return "logged";
  }
  try {
    await transport(url).sendMail({ from: config().mailFrom, to: mail.to, subject: mail.subject, text: mail.text, ...(mail.html ? { html: mail.html } : {}) });
    log.info({ mail: { to: mail.to, subject: mail.subject } }, "mail sent");
    return "sent";
  } catch (err) {
    log.warn({ mail: { to: mail.to, subject: mail.subject }, err: redact(String((err as Error)?.message ?? err), mail.sensitive) }, "mail could not be sent");
    return "failed";
  }
}
