// The mailer against a real SMTP server (smtp-server, in process): the invitation mail arrives
// with its link; an unreachable server is reported as "failed" without losing the invitation.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SMTPServer } from "smtp-server";
import { freePort } from "../helpers/server";

const received: { to: string[]; data: string }[] = [];
let server: SMTPServer;
let port: number;

beforeAll(async () => {
  port = await freePort();
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onAuth: (auth, _session, cb) => cb(null, auth.username === "mailer" && auth.password === "pw" ? { user: "mailer" } : undefined),
    onData(stream, session, cb) {
      let data = "";
      stream.on("data", (c: Buffer) => (data += c.toString("utf8")));
      stream.on("end", () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  // Read by lib/config on first use (no module has loaded the configuration yet).
  process.env.TESSERA_SMTP_URL = `smtp://mailer:pw@127.0.0.1:${port}`;
  process.env.TESSERA_MAIL_FROM = "Tessera <tessera@example.test>";
  process.env.TESSERA_PUBLIC_URL = "https://tessera.example.test";
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("invitation mail over SMTP", () => {
  it("delivers the link to the invitee", async () => {
    const { makeWorkspace } = await import("../helpers/fixtures");
    const { createInvitation } = await import("@/lib/services/invitations");
    const { workspace, owner } = await makeWorkspace({ name: "GPU Lab" });
    const created = await createInvitation(owner, workspace.id, { email: "new.hire@example.test", role: "member" });
    expect(created.delivery).toBe("sent");
    expect(created.link).toMatch(/^https:\/\/tessera\.example\.test\/invite\/tsr_inv_/);
    expect(received).toHaveLength(1);
    expect(received[0]!.to).toEqual(["new.hire@example.test"]);
    const body = received[0]!.data.replace(/=\r?\n/g, "");
    expect(body).toContain("Subject: Join GPU Lab on Tessera");
    expect(body).toContain("From: Tessera <tessera@example.test>");
    expect(body).toContain(created.link);
  });

  it("reports a refused delivery and keeps the invitation (the link is shown to the inviter)", async () => {
    const { makeWorkspace } = await import("../helpers/fixtures");
    const { createInvitation, listInvitations } = await import("@/lib/services/invitations");
    const { workspace, owner } = await makeWorkspace();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const created = await createInvitation(owner, workspace.id, { email: "late@example.test", role: "viewer" });
    expect(created.delivery).toBe("failed");
    expect((await listInvitations(owner, workspace.id)).map((i) => i.email)).toEqual(["late@example.test"]);
    server = new SMTPServer({ authOptional: true });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  });
});
