// The one mailer. With TESSERA_SMTP_URL set, mail goes out over SMTP (nodemailer); without it,
// the mail is written to the server log instead. Credentials in a mail (an invitation link) are
// named in `sensitive` and never reach the log: there they are replaced by "[redacted]", and the
// caller shows the link to the person who asked for the mail.
import nodemailer, { type Transporter } from "nodemailer";
import { config } from "./config";
import { log } from "./log";

export type Mail = { to: string; subject: string; text: string; sensitive?: string[] };
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

/** Sends a mail; never throws (the caller's change has already been committed). */
export async function sendMail(mail: Mail): Promise<MailDelivery> {
  const url = config().smtpUrl;
  if (!url) {
    log.info({ mail: { to: mail.to, subject: mail.subject, body: redact(mail.text, mail.sensitive) } }, "mail not sent: TESSERA_SMTP_URL is not set");
    return "logged";
  }
  try {
    await transport(url).sendMail({ from: config().mailFrom, to: mail.to, subject: mail.subject, text: mail.text });
    log.info({ mail: { to: mail.to, subject: mail.subject } }, "mail sent");
    return "sent";
  } catch (err) {
    log.warn({ mail: { to: mail.to, subject: mail.subject }, err: redact(String((err as Error)?.message ?? err), mail.sensitive) }, "mail could not be sent");
    return "failed";
  }
}
