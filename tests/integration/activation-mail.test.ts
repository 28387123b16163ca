// Activation notification mail (issue 15) against a real SMTP server (smtp-server, in process):
// every enabled platform admin hears of a request, the requester hears the decision and the reason,
// both in plain text and HTML with a link back; user input (names, organisation, use case, reason)
// is escaped in the HTML; and a mail that cannot be sent never fails the request or the review.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { startMailbox, type Mailbox, type ReceivedMail } from "../helpers/mailbox";

let mailbox: Mailbox;
const HOSTILE = "<img src=x onerror=alert(1)>";

beforeAll(async () => {
  mailbox = await startMailbox();
  process.env.TESSERA_SMTP_URL = mailbox.url;
  process.env.TESSERA_PUBLIC_URL = "https://tessera.example.test";
});

afterAll(() => mailbox.close());

const uniq = () => randomBytes(4).toString("hex");

/** The HTML must show user input as text: no tag or attribute of it survives. */
function expectEscaped(mail: ReceivedMail) {
  expect(mail.html).not.toBeNull();
  expect(mail.html).not.toContain("<img");
  expect(mail.html).not.toMatch(/<[^>]*onerror/i);
  expect(mail.html).toContain("&lt;img src=x onerror=alert(1)&gt;");
}

async function setup() {
  const { db } = await import("@/lib/db/client");
  const { makeUser, makeWorkspace } = await import("../helpers/fixtures");
  const admins = [];
  for (const name of ["root", "ops"]) {
    const a = { ...(await makeUser(name)), isPlatformAdmin: true };
    await db().user.update({ where: { id: a.userId }, data: { isPlatformAdmin: true } });
    admins.push(a);
  }
  const disabled = await makeUser("gone");
  await db().user.update({ where: { id: disabled.userId }, data: { isPlatformAdmin: true, disabledAt: new Date() } });
  const { workspace, owner, members } = await makeWorkspace({ name: HOSTILE, roles: ["admin"] });
  await db().user.update({ where: { id: members.admin!.userId }, data: { name: HOSTILE } });
  return { admins, disabled, workspace, owner, requester: members.admin! };
}

describe("activation notification mail", () => {
  it("tells every enabled platform admin of a request (text and escaped HTML, a link to the requests)", async () => {
    const { requestActivation } = await import("@/lib/services/workspaces");
    const { admins, disabled, workspace, requester } = await setup();
    const org = `${HOSTILE} & Co ${uniq()}`;
    await requestActivation(requester, workspace.id, { organisation: org, useCase: `Fine-tuning\n${HOSTILE} "quoted" 'single'` });
    const subject = `Activation request: ${HOSTILE}`;
    for (const admin of admins) {
      const mail = await mailbox.waitFor((m) => m.to.includes(admin.email) && m.subject === subject && m.text.includes(org));
      expect(mail.text).toContain(`${HOSTILE} (${requester.email}) asked to activate the workspace "${HOSTILE}" (${workspace.id}).`);
      expect(mail.text).toContain(`Organisation: ${org}`);
      expect(mail.text).toContain(`Use case:\nFine-tuning\n${HOSTILE} "quoted" 'single'`);
      expect(mail.text).toContain("Review the request: https://tessera.example.test/admin?status=requested");
      expectEscaped(mail);
      expect(mail.html).toContain("&amp; Co");
      expect(mail.html).toContain("&quot;quoted&quot; &#39;single&#39;");
      expect(mail.html).toContain('href="https://tessera.example.test/admin?status=requested"');
    }
    // A disabled admin is not mailed: sending again, awaited, goes to the enabled admins only.
    const { db } = await import("@/lib/db/client");
    const { mailActivationRequest } = await import("@/lib/services/activation-mail");
    const enabled = await db().user.count({ where: { isPlatformAdmin: true, disabledAt: null } });
    expect(await mailActivationRequest(workspace.id, requester)).toEqual(Array(enabled).fill("sent"));
    expect(mailbox.received.some((m) => m.to.includes(disabled.email))).toBe(false);
  });

  it("tells the requester the decision: rejected with the reason (escaped), approved with a link to the workspace", async () => {
    const { requestActivation, reviewActivation } = await import("@/lib/services/workspaces");
    const { admins, workspace, requester, owner } = await setup();
    await requestActivation(requester, workspace.id, { organisation: "Acme", useCase: "Training models on GPUs" });
    await reviewActivation(admins[0]!, workspace.id, { decision: "reject", reason: `Tell us more: ${HOSTILE}` });
    const rejected = await mailbox.waitFor((m) => m.to.includes(requester.email) && m.subject === `Activation request for ${HOSTILE} was rejected`);
    expect(rejected.text).toContain(`Your request to activate the workspace "${HOSTILE}" was rejected.`);
    expect(rejected.text).toContain(`Reason: Tell us more: ${HOSTILE}`);
    expect(rejected.text).toContain(`Open the workspace: https://tessera.example.test/w/${workspace.id}/settings`);
    expectEscaped(rejected);
    expect(rejected.html).toContain(`href="https://tessera.example.test/w/${workspace.id}/settings"`);

    await requestActivation(requester, workspace.id, { organisation: "Acme", useCase: "Training models on GPUs, again" });
    await reviewActivation(admins[1]!, workspace.id, { decision: "approve" });
    const approved = await mailbox.waitFor((m) => m.to.includes(requester.email) && m.subject === `Workspace ${HOSTILE} is active`);
    expect(approved.text).toContain(`Your request to activate the workspace "${HOSTILE}" was approved.`);
    expectEscaped(approved);
    // The requester hears it, not every owner.
    expect(mailbox.received.some((m) => m.to.includes(owner.email) && m.subject.includes("is active"))).toBe(false);
  });

  it("a request or review whose mail cannot be sent still succeeds (the mail is logged as failed)", async () => {
    const { db } = await import("@/lib/db/client");
    const { resetConfig } = await import("@/lib/config");
    const { freePort } = await import("../helpers/server");
    const { requestActivation, reviewActivation } = await import("@/lib/services/workspaces");
    const { admins, workspace, requester } = await setup();
    const saved = process.env.TESSERA_SMTP_URL;
    process.env.TESSERA_SMTP_URL = `smtp://127.0.0.1:${await freePort()}`;
    resetConfig();
    try {
      expect((await requestActivation(requester, workspace.id, { organisation: "Acme", useCase: "Training models on GPUs" })).status).toBe("requested");
      expect((await reviewActivation(admins[0]!, workspace.id, { decision: "approve" })).status).toBe("active");
      expect((await db().workspace.findUniqueOrThrow({ where: { id: workspace.id } })).status).toBe("active");
    } finally {
      process.env.TESSERA_SMTP_URL = saved;
      resetConfig();
    }
  });
});
