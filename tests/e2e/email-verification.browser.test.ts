// Email verification and activation mail in a real browser (Debian's Chromium) against the
// production server, which sends its mail to a real SMTP server (smtp-server, in this process, as
// the invitation tests use): sign up, receive the link, open it, verified; an unverified account
// cannot accept an invitation sent to its address until it opens its link; the profile shows the
// state, resends the link and changes the address in the sudo window; the platform admin receives
// the activation request, and the requester the decision with its reason (text and HTML parts,
// user input escaped). No link ever reaches the server's log.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/db/client";
import { CHROMIUM, hasChromium, launchBrowser, newContext, PHONE, signInAfterSignUp } from "../helpers/browser";
import { linkIn, startMailbox, type Mailbox, type ReceivedMail } from "../helpers/mailbox";
import { startFileServer, type RunningServer } from "../helpers/server";
import path from "node:path";

const SHOTS = process.env.TESSERA_SCREENSHOTS;
const RUN = hasChromium() || Boolean(process.env.CI);
if (!RUN) console.warn(`Browser tests skipped: ${CHROMIUM} not found (apt-get install chromium)`);
const PASSWORD = "correct horse battery staple";
const HOSTILE = "<img src=x onerror=alert(1)>";

let server: RunningServer;
let mailbox: Mailbox;
let browser: Browser;
let admin: Page;
const links: string[] = [];

async function shot(p: Page, name: string) {
  if (SHOTS) await p.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

const verifyMail = (to: string) => (m: ReceivedMail) => m.to.includes(to) && m.subject === "Verify your email address for Tessera";

/** The verification link in the mail, checked in both parts (and kept for the log canary). */
function verificationLink(mail: ReceivedMail): string {
  const link = linkIn(mail, "/verify-email/");
  expect(link).toMatch(new RegExp(`^${server.url}/verify-email/[A-Za-z0-9_-]{43}$`));
  expect(mail.text).toContain("expires in 24 hours");
  expect(mail.html).toContain(`href="${link}"`);
  expect(mail.html).toContain("Verify my address");
  links.push(link);
  return link;
}

/** Signs up through the form (on /signup, unless the page is already a sign-up form) and signs in. */
async function signUp(p: Page, name: string, email: string, opts: { here?: boolean } = {}) {
  if (!opts.here) await p.goto(`${server.url}/signup`);
  await p.getByLabel("Name").fill(name);
  await p.getByLabel("Work email").fill(email);
  await p.getByLabel("Password").fill(PASSWORD);
  await p.getByRole("button", { name: "Create account" }).click();
  // The sign-in page says how this server verifies addresses.
  await p.getByRole("status").filter({ hasText: "open the link we sent to it (it works for 24 hours)" }).waitFor();
  await signInAfterSignUp(p, email, PASSWORD);
}

const badge = (p: Page) => p.getByTestId("email-verification-badge");

beforeAll(async () => {
  if (!RUN) return;
  mailbox = await startMailbox();
  // info: the mailer logs every mail it sends (to and subject), so the log canary below has lines to read.
  server = await startFileServer("email-verification", { TESSERA_SMTP_URL: mailbox.url, TESSERA_MAIL_FROM: "Tessera <tessera@example.test>", TESSERA_LOG_LEVEL: "info" });
  browser = await launchBrowser();
  admin = await (await newContext(browser)).newPage();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await mailbox?.close();
});

describe.runIf(RUN)("email verification in the browser", () => {
  it("signs up, receives the mail, opens the link and confirms: verified (the first account, a platform admin, too)", async () => {
    await signUp(admin, "Ada Admin", "ada@example.com");
    await admin.waitForURL(/\/w\/[a-z0-9]+$/);
    await admin.goto(`${server.url}/account`);
    expect(await badge(admin).textContent()).toBe("Not verified");
    await shot(admin, "profile-unverified");

    const link = verificationLink(await mailbox.waitFor(verifyMail("ada@example.com")));
    // Opened signed out (another browser), the page asks to sign in as that account and changes nothing.
    const other = await (await newContext(browser)).newPage();
    await other.goto(link);
    await other.getByRole("heading", { name: "Verify your email address" }).waitFor();
    expect(await other.getByRole("link", { name: "Sign in to verify" }).isVisible()).toBe(true);
    await shot(other, "verify-signed-out");
    await other.context().close();
    expect((await db().user.findUniqueOrThrow({ where: { email: "ada@example.com" } })).emailVerifiedAt).toBeNull();

    await admin.goto(link);
    await shot(admin, "verify-confirm");
    await admin.getByRole("button", { name: "Verify ada@example.com" }).click();
    await admin.getByRole("heading", { name: "Your email address is verified" }).waitFor();
    await shot(admin, "verify-done");
    expect((await db().user.findUniqueOrThrow({ where: { email: "ada@example.com" } })).emailVerifiedAt).not.toBeNull();
    await admin.goto(`${server.url}/account`);
    expect(await badge(admin).textContent()).toBe("Verified");

    // The same link again: still a clear page (verified), and nothing to click.
    await admin.goto(link);
    await admin.getByRole("heading", { name: "Your email address is verified" }).waitFor();
    // An unknown link.
    await admin.goto(`${server.url}/verify-email/${"A".repeat(43)}`);
    await admin.getByRole("heading", { name: "This verification link is not valid" }).waitFor();
    const phone = await (await browser.newContext({ viewport: PHONE })).newPage();
    await phone.goto(`${server.url}/verify-email/${"A".repeat(43)}`);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    await shot(phone, "verify-invalid-phone");
    await phone.context().close();
  });

  it("an unverified account cannot accept an invitation to its address; after opening its link it can", async () => {
    const { workspaceId } = await db().membership.findFirstOrThrow({ where: { user: { email: "ada@example.com" }, role: "owner" } });
    await admin.goto(`${server.url}/w/${workspaceId}/members`);
    await admin.getByRole("button", { name: "Invite" }).click();
    const dialog = admin.getByRole("dialog", { name: "Invite people" });
    await dialog.getByLabel(/Email/).fill("una@example.com");
    await dialog.getByLabel("Role").selectOption("member");
    await dialog.getByRole("button", { name: "Create invitation" }).click();
    const reveal = admin.getByRole("dialog", { name: "Invitation created" });
    const inviteLink = (await reveal.getByTestId("invitation-link").textContent())!;
    await reveal.getByRole("button", { name: "Done" }).click();

    const una = await (await newContext(browser)).newPage();
    await una.goto(inviteLink);
    await una.getByRole("link", { name: "Create an account" }).click();
    await una.waitForURL(/\/signup\?callbackUrl=/);
    await signUp(una, "Una Unverified", "una@example.com", { here: true });
    await una.waitForURL(/\/invite\//);
    await una.getByRole("heading", { name: "Verify your email address first" }).waitFor();
    expect(await una.getByText("Verify your email address first: we sent a link to una@example.com; resend from your account page").isVisible()).toBe(true);
    expect(await una.getByRole("button", { name: /Accept and join/ }).count()).toBe(0);
    await shot(una, "invite-unverified");
    expect(await db().membership.count({ where: { workspaceId, user: { email: "una@example.com" } } })).toBe(0);

    // The account page says so too, and sends a new link.
    const first = verificationLink(await mailbox.waitFor(verifyMail("una@example.com")));
    await una.goto(`${server.url}/account`);
    expect(await badge(una).textContent()).toBe("Not verified");
    await una.getByRole("button", { name: "Resend verification mail" }).click();
    await una.getByText("Sent a new link to una@example.com").waitFor();
    const second = verificationLink(await mailbox.waitFor((m) => verifyMail("una@example.com")(m) && !m.text.includes(first)));
    expect(second).not.toBe(first);
    const phone = await (await browser.newContext({ viewport: PHONE, storageState: await una.context().storageState() })).newPage();
    await phone.goto(`${server.url}/account`);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    await shot(phone, "profile-unverified-phone");
    await phone.context().close();

    await una.goto(second);
    await una.getByRole("button", { name: "Verify una@example.com" }).click();
    await una.getByRole("heading", { name: "Your email address is verified" }).waitFor();
    await una.goto(inviteLink);
    await una.getByRole("button", { name: /Accept and join/ }).click();
    await una.waitForURL(new RegExp(`/w/${workspaceId}/members$`));
    expect(await db().membership.count({ where: { workspaceId, user: { email: "una@example.com" } } })).toBe(1);
    // The older link of the same address is not needed any more: the page says the address is verified.
    await una.goto(first);
    await una.getByRole("heading", { name: "Your email address is verified" }).waitFor();

    // SES-07: changing the address asks "Confirm it's you" outside the sudo window (moved back by the clock in the database).
    await db().session.updateMany({ where: { user: { email: "una@example.com" } }, data: { reauthAt: new Date(Date.now() - 11 * 60_000) } });
    await una.goto(`${server.url}/account`);
    await una.getByRole("button", { name: "Change email" }).click();
    const change = una.getByRole("dialog", { name: "Change your email address" });
    await change.getByLabel("New email address").fill("una.new@example.com");
    await change.getByRole("button", { name: "Change email" }).click();
    const confirm = una.getByRole("dialog", { name: "Confirm it's you" });
    await confirm.waitFor();
    await shot(una, "change-email-reauth");
    await confirm.getByLabel("Password").fill(PASSWORD);
    await confirm.getByRole("button", { name: "Confirm" }).click();
    await una.getByTestId("profile-email").filter({ hasText: "una.new@example.com" }).waitFor();
    expect(await badge(una).textContent()).toBe("Not verified");
    await shot(una, "profile-changed");
    const notice = await mailbox.waitFor((m) => m.to.includes("una@example.com") && m.subject === "The email address of your Tessera account was changed");
    expect(notice.text).toContain("from una@example.com to una.new@example.com");
    expect(notice.html).toContain(`href="${server.url}/account"`);
    verificationLink(await mailbox.waitFor(verifyMail("una.new@example.com")));
    const audit = await db().auditEvent.findFirstOrThrow({ where: { action: "user.email_change", result: "success" } });
    expect(JSON.parse(audit.metadata!)).toEqual({ from: "una@example.com", to: "una.new@example.com" });
  });

  it("the platform admin receives the activation request, and the requester the decision with its reason (text and HTML)", async () => {
    const rita = await (await newContext(browser)).newPage();
    await signUp(rita, HOSTILE, "rita@example.com");
    await rita.waitForURL(/\/w\/[a-z0-9]+$/);
    const workspaceId = new URL(rita.url()).pathname.split("/")[2]!;
    await rita.getByRole("button", { name: "Apply for access" }).click();
    const apply = rita.getByRole("dialog", { name: "Apply for access" });
    await apply.getByLabel("Organisation").fill(`${HOSTILE} Labs`);
    await apply.getByLabel("Use case").fill(`Fine-tuning models\n${HOSTILE}`);
    await apply.getByRole("button", { name: "Send request" }).click();
    await rita.getByText("Your request for access is waiting for review").waitFor();

    const request = await mailbox.waitFor((m) => m.to.includes("ada@example.com") && m.subject.startsWith("Activation request:"));
    expect(request.subject).toBe(`Activation request: ${HOSTILE}'s workspace`);
    expect(request.text).toContain(`${HOSTILE} (rita@example.com) asked to activate the workspace "${HOSTILE}'s workspace" (${workspaceId}).`);
    expect(request.text).toContain(`Organisation: ${HOSTILE} Labs`);
    expect(request.text).toContain(`Review the request: ${server.url}/admin?status=requested`);
    expect(request.html).toContain(`href="${server.url}/admin?status=requested"`);
    expect(request.html).toContain("&lt;img src=x onerror=alert(1)&gt; Labs");
    expect(request.html).not.toContain("<img");

    // The admin follows the mail's link and rejects, with a reason.
    await admin.goto(linkIn(request, "/admin"));
    const row = admin.getByTestId(`review-${workspaceId}`);
    await row.getByRole("button", { name: "Reject" }).click();
    const reject = admin.getByRole("dialog", { name: /^Reject/ });
    await reject.getByLabel("Reason").fill(`Tell us which team: ${HOSTILE}`);
    await reject.getByRole("button", { name: "Reject" }).click();
    await row.waitFor({ state: "detached" });

    const decision = await mailbox.waitFor((m) => m.to.includes("rita@example.com") && m.subject.includes("was rejected"));
    expect(decision.subject).toBe(`Activation request for ${HOSTILE}'s workspace was rejected`);
    expect(decision.text).toContain(`Reason: Tell us which team: ${HOSTILE}`);
    expect(decision.text).toContain(`Open the workspace: ${server.url}/w/${workspaceId}/settings`);
    expect(decision.html).toContain(`href="${server.url}/w/${workspaceId}/settings"`);
    expect(decision.html).toContain("Reason: Tell us which team: &lt;img src=x onerror=alert(1)&gt;");
    expect(decision.html).not.toContain("<img");
    // The mail's link leads the requester to the workspace, which shows the reason.
    await rita.goto(linkIn(decision, "/w/"));
    await rita.getByText(`Access was not approved: Tell us which team: ${HOSTILE}`).waitFor();
  });

  it("admins see who is verified and mark an address verified", async () => {
    await admin.goto(`${server.url}/admin`);
    const una = admin.getByRole("listitem").filter({ hasText: "una.new@example.com" });
    expect(await una.getByText("not verified").isVisible()).toBe(true);
    await shot(admin, "admin-users");
    await una.getByRole("button", { name: "Mark verified" }).click();
    await admin.getByRole("alertdialog").getByRole("button", { name: "Mark verified" }).click();
    await una.getByText("verified", { exact: true }).waitFor();
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "user.email_verify", metadata: { contains: '"by":"admin"' } } });
    expect(event.actorLabel).toBe("ada@example.com");
  });

  it("canary: no verification link or its secret is in the server's log", () => {
    expect(links.length).toBeGreaterThanOrEqual(4);
    const out = server.output();
    expect(out).toContain("mail sent");
    for (const link of links) expect(out).not.toContain(link.split("/verify-email/")[1]!);
  });
});
