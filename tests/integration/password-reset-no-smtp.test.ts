// A server without TESSERA_SMTP_URL: mail is written to the log (lib/mail.ts), and the reset mail
// is logged with its link redacted, so the log never holds a working link. The way back into an
// account is then an operator's: `npm run user:reset-link -- <email>` prints a link (run here as
// an operator runs it), which works once.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { ROOT, userEnv } from "../helpers/server";

delete process.env.TESSERA_SMTP_URL;
process.env.TESSERA_PUBLIC_URL = "https://tessera.example.test";

async function passwordUser(name: string) {
  const { db } = await import("@/lib/db/client");
  const { hashPassword } = await import("@/lib/auth/password");
  return db().user.create({ data: { email: `${name}-${randomBytes(4).toString("hex")}@example.test`, passwordHash: await hashPassword("quiet horse battery") } });
}

function resetLinkCommand(email: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), path.join(ROOT, "lib/launcher/reset-link.ts"), email], {
      cwd: ROOT,
      env: userEnv({
        DATABASE_URL: process.env.DATABASE_URL!,
        TESSERA_AUTH_SECRET: process.env.TESSERA_AUTH_SECRET!,
        TESSERA_MASTER_KEY: process.env.TESSERA_MASTER_KEY!,
        TESSERA_DATA_DIR: process.env.TESSERA_DATA_DIR!,
        TESSERA_PUBLIC_URL: "https://tessera.example.test",
      }),
    });
    let [stdout, stderr] = ["", ""];
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("password reset without SMTP", () => {
  it("logs the mail with the link redacted", async () => {
    const { log } = await import("@/lib/log");
    const info = vi.spyOn(log, "info");
    const { db } = await import("@/lib/db/client");
    const { requestPasswordReset } = await import("@/lib/services/password");
    const { meta } = await import("../helpers/fixtures");
    const { email } = await passwordUser("quiet");

    await requestPasswordReset({ email }, meta({ ip: "192.0.2.77" }));
    const logged = () => info.mock.calls.find(([obj]) => (obj as { mail?: { to?: string } })?.mail?.to === email);
    await expect.poll(logged).toBeDefined();
    const mail = (logged()![0] as { mail: { subject: string; body: string } }).mail;
    expect(mail.subject).toBe("Reset your Tessera password");
    expect(mail.body).toContain("Choose a new password: [redacted]");
    expect(JSON.stringify(info.mock.calls)).not.toMatch(/reset-password#|[A-Za-z0-9_-]{43}/);
    // The link was made all the same; nobody can read it from the log.
    expect(await db().accountToken.count({ where: { user: { email }, purpose: "password_reset" } })).toBe(1);
  });

  // Two runs of the command (tsx compiles the app's modules on start: seconds each on a busy machine).
  it("an operator prints a link with `npm run user:reset-link`; it works once and is audited", async () => {
    const { db } = await import("@/lib/db/client");
    const { POST } = await import("@/app/api/password-reset/complete/route");
    const user = await passwordUser("stranded");
    const run = await resetLinkCommand(user.email.toUpperCase());
    expect(run.code, run.stderr).toBe(0);
    const link = run.stdout.trim();
    expect(link).toMatch(/^https:\/\/tessera\.example\.test\/reset-password#[A-Za-z0-9_-]{43}$/);
    expect(run.stderr).toContain("works once");
    const complete = () =>
      POST(
        new Request("http://localhost:3000/api/password-reset/complete", {
          method: "POST",
          headers: { "content-type": "application/json", "x-tessera-client-ip": "192.0.2.78" },
          body: JSON.stringify({ token: link.split("#")[1], password: "found my way back in" }),
        }),
      );
    expect((await complete()).status).toBe(200);
    expect((await complete()).status).toBe(422);
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "user.password_reset_request", targetId: user.id } });
    expect(event).toMatchObject({ actorType: "system", actorLabel: "operator" });
    expect(JSON.stringify(await db().auditEvent.findMany())).not.toContain(link.split("#")[1]);

    // Unknown, SSO-only: a clear refusal, exit 1.
    const unknown = await resetLinkCommand("nobody@example.test");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("No account has the address nobody@example.test");
    expect(unknown.stdout).toBe("");
  });
});
