// The password lifecycle in a real browser (Debian's Chromium) against the production server, with
// a real SMTP server (smtp-server, in this process) receiving its mail: a reset end to end (asked
// for on the sign-in page, the link read from the mail, a new password, signed in with it), the
// used link and an expired one (its row back-dated) refused, and a change on /account that asks
// "Confirm it's you" once the session is past the sudo window (its reauthAt back-dated). No link
// or password reaches the server's log.
import { randomBytes } from "node:crypto";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { signUpWithPassword } from "@/lib/services/users";
import { CHROMIUM, hasChromium, launchBrowser, newContext, PHONE } from "../helpers/browser";
import { meta } from "../helpers/fixtures";
import { startMailbox, type Mailbox, type ReceivedMail as Mail } from "../helpers/mailbox";
import { startFileServer, type RunningServer } from "../helpers/server";

const SHOTS = process.env.TESSERA_SCREENSHOTS; // a folder: save screenshots there to look at them
// CI installs Chromium (.ci/run) and must run these tests; elsewhere they are skipped, loudly, without it.
const RUN = hasChromium() || Boolean(process.env.CI);
if (!RUN) console.warn(`Browser tests skipped: ${CHROMIUM} not found (apt-get install chromium)`);

const PASSWORD = "correct horse battery staple";
const NEW_PASSWORD = "a brand new horse battery";
const CHANGED_PASSWORD = "changed again horse battery";
const INVALID = "This link is invalid or has expired. Ask for a new one.";

let mailbox: Mailbox | undefined;
let server: RunningServer;
let browser: Browser;
/** Every link secret the server mailed: none may be in its log. */
const secrets: string[] = [];

const nextMail = (to: string, subject: RegExp) => mailbox!.next((m) => m.to.includes(to) && subject.test(m.subject));

function resetLinkIn(mail: Mail): string {
  const m = new RegExp(`${server.url}/reset-password#([A-Za-z0-9_-]{43})`).exec(mail.text);
  expect(m, "the mail holds a reset link").not.toBeNull();
  secrets.push(m![1]!);
  return m![0];
}

async function shot(page: Page, name: string) {
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  if (!RUN) return;
  mailbox = await startMailbox();
  // Logging at debug, so that the canary below reads as much of the server's output as there is.
  server = await startFileServer("password-reset", { TESSERA_SMTP_URL: mailbox.url, TESSERA_LOG_LEVEL: "debug" });
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await mailbox?.close();
});

/** A password account with its personal workspace, made as sign-up makes it. */
async function account(name: string): Promise<{ id: string; email: string }> {
  const email = `${name.toLowerCase()}-${randomBytes(3).toString("hex")}@example.com`;
  const user = await signUpWithPassword({ name, email, password: PASSWORD }, meta({ ip: "192.0.2.40" }));
  return { id: user!.id, email };
}

async function signIn(page: Page, email: string, password: string, then = "/account") {
  await page.goto(`${server.url}/login?callbackUrl=${encodeURIComponent(then)}`);
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

async function signedIn(email: string, password: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newContext(browser);
  const page = await context.newPage();
  await signIn(page, email, password);
  await page.waitForURL(`${server.url}/account`);
  return { context, page };
}

describe.runIf(RUN)("password reset and change in the browser", () => {
  it("reset end to end: the link from the mail sets a new password, every session ends, and the used link is refused", async () => {
    const user = await account("Rita");
    const elsewhere = await signedIn(user.email, PASSWORD);
    const page = await (await newContext(browser)).newPage();
    await page.goto(`${server.url}/login`);
    await page.getByRole("link", { name: "Forgot your password?" }).click();
    await page.waitForURL(`${server.url}/forgot-password`);
    await shot(page, "forgot-password-desktop");
    const mailed = nextMail(user.email, /^Reset your Tessera password$/);
    await page.getByLabel("Email").fill(user.email);
    await page.getByRole("button", { name: "Send reset link" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toContain("a link to choose a new one is on its way");
    await shot(page, "forgot-password-sent");
    const link = resetLinkIn(await mailed);

    await page.goto(link);
    await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
    expect(await page.getByText(user.email).isVisible()).toBe(true);
    // The page asks browsers to send no Referer (the secret is in the fragment, which is never sent anyway).
    expect(await page.locator('meta[name="referrer"]').getAttribute("content")).toBe("no-referrer");
    await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel("Confirm new password").fill(`${NEW_PASSWORD}!`);
    await page.getByRole("button", { name: "Set new password" }).click();
    await expect.poll(() => page.locator("form").getByRole("alert").textContent()).toBe("The two passwords are not the same.");
    await shot(page, "reset-password-desktop");
    const notice = nextMail(user.email, /^Your Tessera password was reset$/);
    await page.getByLabel("Confirm new password").fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Set new password" }).click();
    await page.waitForURL(`${server.url}/login?reset=1`);
    expect(await page.getByRole("status").textContent()).toContain("Your password was reset");
    await shot(page, "login-after-reset");
    expect((await notice).text).toContain(`${server.url}/forgot-password`);

    // The other browser was signed out by the reset; the old password no longer works, the new one does.
    await elsewhere.page.goto(`${server.url}/account`);
    await elsewhere.page.waitForURL(/\/login/);
    await signIn(page, user.email, PASSWORD);
    await expect.poll(() => page.locator("form").getByRole("alert").textContent()).toBe("Email or password is incorrect.");
    await signIn(page, user.email, NEW_PASSWORD);
    await page.waitForURL(`${server.url}/account`);

    // The used link: one clear message, and the way to a new one.
    const again = await (await newContext(browser)).newPage();
    await again.goto(link);
    await again.getByTestId("reset-invalid").waitFor();
    expect(await again.getByTestId("reset-invalid").getByRole("alert").textContent()).toBe(INVALID);
    expect(await again.getByRole("link", { name: "Ask for a new link" }).getAttribute("href")).toBe("/forgot-password");
    await shot(again, "reset-password-used");
  });

  it("an expired link (its row back-dated past 30 minutes) is refused, in the page and by the API", async () => {
    const user = await account("Ezra");
    const mailed = nextMail(user.email, /^Reset your Tessera password$/);
    const asked = await fetch(`${server.url}/api/password-reset`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: user.email }) });
    expect(asked.status).toBe(202);
    const link = resetLinkIn(await mailed);
    await db().accountToken.updateMany({ where: { userId: user.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const page = await (await newContext(browser)).newPage();
    await page.goto(link);
    await page.getByTestId("reset-invalid").waitFor();
    expect(await page.getByTestId("reset-invalid").getByRole("alert").textContent()).toBe(INVALID);
    const res = await fetch(`${server.url}/api/password-reset/complete`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: link.split("#")[1], password: NEW_PASSWORD }),
    });
    expect(res.status).toBe(422);
    expect((await res.json()).error.message).toBe(INVALID);
    // A link cut short (no fragment) gets the same page, without asking the server.
    await page.goto(`${server.url}/reset-password`);
    await page.getByTestId("reset-invalid").waitFor();
  });

  it("password change on /account: Confirm it's you past the sudo window, the other session ends, this one stays", async () => {
    const user = await account("Cleo");
    const mine = await signedIn(user.email, PASSWORD);
    const other = await signedIn(user.email, PASSWORD);
    // Both sessions proved it was them 11 minutes ago: outside the 10-minute window.
    await db().session.updateMany({ where: { userId: user.id }, data: { reauthAt: new Date(Date.now() - 11 * 60 * 1000) } });
    const page = mine.page;
    await page.goto(`${server.url}/account`);
    const section = page.getByTestId("password-section");
    await section.getByLabel("Current password").fill(PASSWORD);
    await section.getByLabel("New password", { exact: true }).fill(CHANGED_PASSWORD);
    await section.getByLabel("Confirm new password").fill(CHANGED_PASSWORD);
    await shot(page, "account-password-desktop");
    const notice = nextMail(user.email, /^Your Tessera password was changed$/);
    await section.getByRole("button", { name: "Change password" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("heading", { name: "Confirm it's you" }).waitFor();
    await shot(page, "account-password-confirm");
    await dialog.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await dialog.getByRole("button", { name: "Confirm" }).click();
    await page.getByText("Password changed. 1 other session was signed out.").waitFor();
    expect(await section.getByLabel("Current password").inputValue()).toBe("");
    const mail = await notice;
    expect(mail.text).toContain(`${server.url}/account`);
    expect(mail.text).toContain(`If this was not you, reset your password now at ${server.url}/forgot-password`);

    await page.reload();
    expect(page.url()).toBe(`${server.url}/account`);
    await other.page.goto(`${server.url}/account`);
    await other.page.waitForURL(/\/login/);
    const fresh = await signedIn(user.email, CHANGED_PASSWORD);
    expect(fresh.page.url()).toBe(`${server.url}/account`);
  });

  it("a wrong current password is refused at its field", async () => {
    const user = await account("Wes");
    const { page } = await signedIn(user.email, PASSWORD);
    const section = page.getByTestId("password-section");
    await section.getByLabel("Current password").fill("not my password at all");
    await section.getByLabel("New password", { exact: true }).fill(CHANGED_PASSWORD);
    await section.getByLabel("Confirm new password").fill(CHANGED_PASSWORD);
    await section.getByRole("button", { name: "Change password" }).click();
    await expect.poll(() => section.getByRole("alert").textContent()).toBe("Current password is not right");
    await shot(page, "account-password-wrong");
  });

  it("the pages fit a phone (390 px)", async () => {
    const user = await account("Pia");
    const context = await newContext(browser, PHONE);
    const page = await context.newPage();
    await page.goto(`${server.url}/forgot-password`);
    await shot(page, "forgot-password-phone");
    const mailed = nextMail(user.email, /^Reset your Tessera password$/);
    await page.getByLabel("Email").fill(user.email);
    await page.getByRole("button", { name: "Send reset link" }).click();
    const link = resetLinkIn(await mailed);
    await page.goto(link);
    await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
    await shot(page, "reset-password-phone");
    for (const p of ["/forgot-password", "/reset-password"]) {
      await page.goto(link.replace("/reset-password", p));
      expect(await page.evaluate(() => document.documentElement.scrollWidth), p).toBeLessThanOrEqual(PHONE.width);
    }
    await signIn(page, user.email, PASSWORD);
    await page.waitForURL(`${server.url}/account`);
    await page.getByTestId("password-section").scrollIntoViewIfNeeded();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await shot(page, "account-password-phone");
  });

  it("canary: no link secret or password in the server's log", () => {
    const out = server.output();
    expect(out).toContain("mail sent");
    expect(secrets.length).toBeGreaterThanOrEqual(3);
    for (const s of [...secrets, PASSWORD, NEW_PASSWORD, CHANGED_PASSWORD]) expect(out.includes(s), "a secret in the server log").toBe(false);
  });
});
