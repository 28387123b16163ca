// Members, invitations and roles in a real browser (Debian's Chromium) against the production
// server: an owner invites through the dialog, the invitee signs up from the link, has their
// address verified by a platform admin (the server sends no mail) and accepts, the
// used link gets its own page, the owner changes the role and removes the member (who loses
// access at once), a revoked link gets its page, and the roles page matches the permission table.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PERMISSION_NAMES, ROLES, roleCan } from "../../lib/auth/permissions";
import { db } from "../../lib/db/client";
import { hasChromium, launchBrowser, newContext, PHONE, CHROMIUM, signInAfterSignUp } from "../helpers/browser";
import { freePort, startServer, type RunningServer } from "../helpers/server";

const SHOTS = process.env.TESSERA_SCREENSHOTS;
const RUN = hasChromium() || Boolean(process.env.CI);
if (!RUN) console.warn(`Browser tests skipped: ${CHROMIUM} not found (apt-get install chromium)`);
const PASSWORD = "correct horse battery staple";

let server: RunningServer;
let browser: Browser;
let owner: Page;
let invitee: Page;
let workspaceId: string;
let membersUrl: string;
let bobLink: string;

async function shot(p: Page, name: string) {
  if (SHOTS) await p.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

async function signUp(p: Page, name: string, email: string) {
  await p.getByLabel("Name").fill(name);
  await p.getByLabel("Work email").fill(email);
  await p.getByLabel("Password").fill(PASSWORD);
  await p.getByRole("button", { name: "Create account" }).click();
  await signInAfterSignUp(p, email, PASSWORD);
}

/** Creates an invitation through the dialog and returns the link from the one-time reveal. */
async function invite(opts: { email?: string; role: string; anyone?: boolean; screenshot?: string }) {
  await owner.getByRole("button", { name: "Invite" }).click();
  const dialog = owner.getByRole("dialog", { name: "Invite people" });
  if (opts.email) await dialog.getByLabel(/Email/).fill(opts.email);
  await dialog.getByLabel("Role").selectOption(opts.role);
  if (opts.anyone) await dialog.getByLabel(/Anyone with the link/).check();
  await dialog.getByRole("button", { name: "Create invitation" }).click();
  const reveal = owner.getByRole("dialog", { name: "Invitation created" });
  await reveal.waitFor();
  if (opts.screenshot) await shot(owner, opts.screenshot);
  const link = (await reveal.getByTestId("invitation-link").textContent())!;
  await reveal.getByRole("button", { name: "Done" }).click();
  await reveal.waitFor({ state: "detached" });
  return link;
}

const memberRow = (p: Page, email: string) => p.getByTestId("member-row").and(p.locator(`[data-email="${email}"]`));

beforeAll(async () => {
  if (!RUN) return;
  const port = await freePort();
  server = await startServer(
    {
      DATABASE_URL: process.env.DATABASE_URL!,
      TESSERA_AUTH_SECRET: process.env.TESSERA_AUTH_SECRET!,
      TESSERA_MASTER_KEY: process.env.TESSERA_MASTER_KEY!,
      TESSERA_DATA_DIR: mkdtempSync(path.join(tmpdir(), "tessera-members-")),
      TESSERA_PUBLIC_URL: `http://localhost:${port}`,
      TESSERA_LOG_LEVEL: "warn",
    },
    240_000,
    port,
  );
  browser = await launchBrowser();
  owner = await (await newContext(browser)).newPage();
  await owner.goto(`${server.url}/signup`);
  await signUp(owner, "Olivia Owner", "olivia@example.com");
  await owner.waitForURL(/\/w\/[a-z0-9]+$/);
  workspaceId = new URL(owner.url()).pathname.split("/")[2]!;
  membersUrl = `${server.url}/w/${workspaceId}/members`;
  invitee = await (await newContext(browser)).newPage();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe.runIf(RUN)("members and invitations in the browser", () => {
  it("invites through the dialog; the invitee signs up from the link and accepts once", async () => {
    await owner.goto(membersUrl);
    expect(await memberRow(owner, "olivia@example.com").getByText("(you)").isVisible()).toBe(true);
    await shot(owner, "members-owner");
    // A bad email is refused next to its field and nothing is created.
    await owner.getByRole("button", { name: "Invite" }).click();
    const dialog = owner.getByRole("dialog", { name: "Invite people" });
    await dialog.getByLabel(/Email/).fill("not an email");
    await dialog.getByRole("button", { name: "Create invitation" }).click();
    await expect.poll(() => dialog.getByRole("alert").first().textContent()).toBe("Email must be an email address");
    await owner.keyboard.press("Escape");
    expect(await db().invitation.count({ where: { workspaceId } })).toBe(0);

    bobLink = await invite({ email: "bob@example.com", role: "member", screenshot: "members-invite-reveal" });
    expect(bobLink).toMatch(new RegExp(`^${server.url}/invite/tsr_inv_[0-9A-Za-z]{38}$`));
    await owner.goto(`${membersUrl}/invitations`);
    expect(await owner.getByTestId("invitation-row").filter({ hasText: "bob@example.com" }).isVisible()).toBe(true);
    expect(await owner.content()).not.toContain(bobLink.split("/invite/")[1]);
    await shot(owner, "members-invitations");

    await invitee.goto(bobLink);
    expect(await invitee.getByRole("heading", { name: /Join Olivia/ }).isVisible()).toBe(true);
    await shot(invitee, "invite-signed-out");
    await invitee.getByRole("link", { name: "Create an account" }).click();
    await invitee.waitForURL(/\/signup\?callbackUrl=/);
    await signUp(invitee, "Bob Builder", "bob@example.com");
    await invitee.waitForURL(/\/invite\//);
    // A new password account has not proven its address yet. This server sends no mail, so the
    // page says that a platform admin verifies it: Olivia (the first account) does, on the Admin page.
    await invitee.getByRole("heading", { name: "Verify your email address first" }).waitFor();
    expect(await invitee.getByText("a platform admin must mark bob@example.com verified").isVisible()).toBe(true);
    expect(await invitee.getByRole("button", { name: /Accept and join/ }).count()).toBe(0);
    await shot(invitee, "invite-unverified-no-mail");
    await invitee.goto(`${server.url}/account`);
    await invitee.getByText("Mail is not configured on this server").waitFor();
    await shot(invitee, "profile-no-mail");
    await invitee.goBack();
    await owner.goto(`${server.url}/admin`);
    await owner.getByRole("listitem").filter({ hasText: "bob@example.com" }).getByRole("button", { name: "Mark verified" }).click();
    await owner.getByRole("alertdialog").getByRole("button", { name: "Mark verified" }).click();
    await expect.poll(async () => (await db().user.findUnique({ where: { email: "bob@example.com" } }))?.emailVerifiedAt).not.toBeNull();
    await invitee.reload();
    await invitee.getByRole("button", { name: /Accept and join/ }).click();
    await invitee.waitForURL(new RegExp(`/w/${workspaceId}/members$`));
    expect(await memberRow(invitee, "bob@example.com").getByText("member", { exact: true }).isVisible()).toBe(true);

    await invitee.goto(bobLink);
    expect(await invitee.getByRole("heading", { name: "This invitation has already been used" }).isVisible()).toBe(true);
    await shot(invitee, "invite-used");
  });

  it("changes a member's role after a confirmation", async () => {
    await owner.goto(membersUrl);
    const picker = memberRow(owner, "bob@example.com").getByLabel("Role of Bob Builder");
    await picker.selectOption("admin");
    const confirm = owner.getByRole("alertdialog", { name: "Make Bob Builder an admin?" });
    await confirm.waitFor();
    await confirm.getByRole("button", { name: "Change role" }).click();
    await expect.poll(async () => (await db().membership.findFirst({ where: { workspaceId, user: { email: "bob@example.com" } } }))?.role).toBe("admin");
    await owner.reload();
    expect(await memberRow(owner, "bob@example.com").getByLabel("Role of Bob Builder").inputValue()).toBe("admin");
    // The admin sees the page with an Invite button but cannot touch the owner.
    await invitee.goto(membersUrl);
    expect(await invitee.getByRole("button", { name: "Invite" }).isVisible()).toBe(true);
    expect(await memberRow(invitee, "olivia@example.com").getByRole("button", { name: /Remove/ }).count()).toBe(0);
    expect(await memberRow(invitee, "olivia@example.com").getByRole("combobox").count()).toBe(0);
  });

  it("AUTHZ-06: removes a member after a confirmation; they lose access at once", async () => {
    await owner.goto(membersUrl);
    await memberRow(owner, "bob@example.com").getByRole("button", { name: "Remove Bob Builder" }).click();
    const confirm = owner.getByRole("alertdialog", { name: "Remove Bob Builder?" });
    await confirm.getByRole("button", { name: "Remove member" }).click();
    await memberRow(owner, "bob@example.com").waitFor({ state: "detached" });
    const res = await invitee.goto(membersUrl);
    expect(res?.status()).toBe(404);
    const removal = await db().auditEvent.findFirst({ where: { workspaceId, action: "member.remove" } });
    expect(removal).toMatchObject({ result: "success", actorLabel: "olivia@example.com" });
  });

  it("revokes an invitation; its link then gets a clear page; phones get the same pages", async () => {
    await owner.goto(membersUrl);
    const link = await invite({ role: "viewer", anyone: true });
    await owner.goto(`${membersUrl}/invitations`);
    await owner.getByRole("button", { name: "Revoke invitation for anyone with the link" }).click();
    await owner.getByRole("alertdialog").getByRole("button", { name: "Revoke" }).click();
    await owner.getByText("No pending invitations").waitFor();
    await invitee.goto(link);
    expect(await invitee.getByRole("heading", { name: "This invitation was revoked" }).isVisible()).toBe(true);
    await invitee.goto(`${server.url}/invite/tsr_inv_nonsense`);
    expect(await invitee.getByRole("heading", { name: "This invitation link is not valid" }).isVisible()).toBe(true);

    const phone = await (await browser.newContext({ viewport: PHONE, storageState: await owner.context().storageState() })).newPage();
    await phone.goto(membersUrl);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    await shot(phone, "members-phone");
    await phone.close();
  });

  it("renders the roles page from the permission table", async () => {
    await owner.goto(`${membersUrl}/roles`);
    await shot(owner, "members-roles");
    const cells = await owner.locator("[data-testid=permission-table] td[data-role]").evaluateAll((tds) =>
      tds.map((td) => `${td.closest("tr")!.getAttribute("data-permission")}:${td.getAttribute("data-role")}:${td.getAttribute("data-allowed")}`),
    );
    const expected = PERMISSION_NAMES.flatMap((p) => ROLES.map((r) => `${p}:${r}:${roleCan(r, p)}`));
    expect(cells).toEqual(expected);
  });
});
