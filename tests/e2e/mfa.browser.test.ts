// The TOTP second factor in a real browser (Debian's Chromium) against the production server and a
// real SMTP server: enrolment on /account with a code computed from the key the page shows (as an
// authenticator app computes it), sign-in with password + code, a recovery code that works once, a
// workspace that requires a second factor (a helpful page for a password member without one, who
// gets in after enrolling), turning it off after "Confirm it's you", and canaries: no key, code or
// recovery code in the server's output or a mail.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { generateHOTP } from "@oslojs/otp";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeTotpKey, TOTP_PERIOD_SECONDS } from "../../lib/auth/totp";
import { db } from "../../lib/db/client";
import { CHROMIUM, DESKTOP, hasChromium, launchBrowser, newContext, PHONE, signInAfterSignUp } from "../helpers/browser";
import { startMailbox, type Mailbox, type ReceivedMail } from "../helpers/mailbox";
import { startFileServer, type RunningServer } from "../helpers/server";

const SHOTS = process.env.TESSERA_SCREENSHOTS;
const RUN = hasChromium() || Boolean(process.env.CI);
if (!RUN) console.warn(`Browser tests skipped: ${CHROMIUM} not found (apt-get install chromium)`);
const PASSWORD = "correct horse battery staple";

let server: RunningServer;
let browser: Browser;
let mailbox: Mailbox | undefined;
const canaries = { keys: [] as string[], recovery: [] as string[], codes: [] as string[] };

/** A mail's subject and both its parts, decoded. */
const mailText = (m: ReceivedMail) => `${m.subject}\n${m.text}\n${m.html ?? ""}`;
const mailWhere = (match: (m: ReceivedMail) => boolean) => mailbox!.waitFor(match);

async function shot(page: Page, name: string, phone = false) {
  if (!SHOTS) return;
  if (phone) await page.setViewportSize(PHONE);
  await page.screenshot({ path: path.join(SHOTS, `${name}${phone ? "-phone" : ""}.png`), fullPage: true });
  if (phone) await page.setViewportSize(DESKTOP);
}

beforeAll(async () => {
  if (!RUN) return;
  mailbox = await startMailbox();
  // Logs at info (what operators run with), so the canary check below sees the ordinary output.
  server = await startFileServer("mfa", { TESSERA_SMTP_URL: mailbox.url, TESSERA_LOG_LEVEL: "info", TESSERA_DATA_DIR: mkdtempSync(path.join(tmpdir(), "tessera-mfa-")) });
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await mailbox?.close();
});

const currentStep = () => Math.floor(Date.now() / 1000 / TOTP_PERIOD_SECONDS);

/** What an authenticator app holds for one account: the key, and the last step the server accepted. */
type App = { key: Uint8Array; last: number };

/**
 * A code the server accepts now and has not seen: the current step, or the one after the last
 * used (each code works once; the server takes one step of drift either way).
 */
function code(app: App): string {
  const step = Math.max(app.last + 1, currentStep());
  if (step > currentStep() + 1) throw new Error("this test uses at most two codes of one app per 30 seconds");
  app.last = step;
  const value = generateHOTP(app.key, BigInt(step), 6);
  canaries.codes.push(value);
  return value;
}

async function signUp(page: Page, name: string, email: string) {
  await page.goto(`${server.url}/signup`);
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await signInAfterSignUp(page, email, PASSWORD);
  await page.waitForURL(/\/w\/[a-z0-9]+$/);
}

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Account menu" }).last().click();
  await page.getByRole("menuitem", { name: "Sign out", exact: true }).click();
  await page.waitForURL(/\/login/);
}

/** Email and password; answers once the code step shows. */
async function passwordStep(page: Page, email: string) {
  await page.goto(`${server.url}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByText("Open your authenticator app and enter the 6-digit code").waitFor();
}

/** Enrols on /account: the key text from the page, a code computed from it, the recovery codes shown once. */
async function enrol(page: Page, screenshots = false): Promise<{ app: App; recovery: string[] }> {
  await page.getByRole("button", { name: "Set up an authenticator app" }).click();
  const keyText = (await page.getByTestId("totp-key").textContent())!;
  expect(keyText).toMatch(/^[A-Z2-7]{4}( [A-Z2-7]{4})+$/);
  expect(await page.getByRole("img", { name: "QR code to scan with your authenticator app" }).isVisible()).toBe(true);
  canaries.keys.push(keyText.replace(/\s+/g, ""));
  const app: App = { key: decodeTotpKey(keyText), last: -1 };
  canaries.keys.push(Buffer.from(app.key).toString("base64"), Buffer.from(app.key).toString("hex"));
  if (screenshots) {
    await shot(page, "mfa-enrol");
    await shot(page, "mfa-enrol", true);
  }
  await page.getByLabel("Code from the app").fill(code(app));
  await page.getByRole("button", { name: "Turn on" }).click();
  await page.getByTestId("recovery-codes").waitFor();
  const recovery = (await page.getByTestId("recovery-code").allTextContents()).map((c) => c.trim());
  expect(recovery).toHaveLength(10);
  canaries.recovery.push(...recovery);
  if (screenshots) {
    await shot(page, "mfa-recovery-codes");
    await shot(page, "mfa-recovery-codes", true);
  }
  // Shown once: going on needs "I have saved them".
  expect(await page.getByRole("button", { name: "Done" }).isDisabled()).toBe(true);
  await page.getByLabel("I have saved my recovery codes").check();
  await page.getByRole("button", { name: "Done" }).click();
  await page.getByTestId("mfa-status").waitFor();
  return { app, recovery };
}

describe.runIf(RUN)("TOTP second factor in the browser", () => {
  let tina: { app: App; recovery: string[] };
  let tinaWorkspace: string;

  it("enrols on /account with a code computed from the page's key, then signs in with password and code; a recovery code works once", async () => {
    const page = await (await newContext(browser)).newPage();
    await signUp(page, "Tina", "tina@example.com");
    tinaWorkspace = new URL(page.url()).pathname.split("/")[2]!;
    await page.goto(`${server.url}/account`);
    await page.getByRole("button", { name: "Set up an authenticator app" }).waitFor();
    await shot(page, "account-mfa-off");
    tina = await enrol(page, true);
    expect(await page.getByTestId("recovery-codes-left").textContent()).toContain("10 recovery codes left");
    await shot(page, "account-mfa-on");
    const notice = await mailWhere((m) => m.to.includes("tina@example.com") && mailText(m).includes("A second factor was added"));
    expect(mailText(notice)).toContain(`${server.url}/account`);

    // Signed out, the password alone is not enough: the form asks for a code.
    await signOut(page);
    await passwordStep(page, "tina@example.com");
    await shot(page, "login-code");
    await shot(page, "login-code", true);
    const wrong = ["000000", "111111"].find((c) => ![-1, 0, 1].some((d) => generateHOTP(tina.app.key, BigInt(currentStep() + d), 6) === c))!;
    await page.getByLabel("Authentication code").fill(wrong);
    await page.getByRole("button", { name: "Verify and sign in" }).click();
    await expect.poll(() => page.locator("form").getByRole("alert").textContent()).toMatch(/That code is not valid/);
    await page.getByLabel("Authentication code").fill(code(tina.app));
    await page.getByRole("button", { name: "Verify and sign in" }).click();
    await page.waitForURL((u) => !u.pathname.startsWith("/login"));

    // A recovery code signs in once...
    await signOut(page);
    await passwordStep(page, "tina@example.com");
    await page.getByRole("button", { name: "Use a recovery code" }).click();
    await page.getByLabel("Recovery code").fill(tina.recovery[0]!);
    await shot(page, "login-recovery");
    await page.getByRole("button", { name: "Verify and sign in" }).click();
    await page.waitForURL((u) => !u.pathname.startsWith("/login"));
    await mailWhere((m) => m.to.includes("tina@example.com") && mailText(m).includes("A recovery code was used"));
    // ...and is refused the second time.
    await signOut(page);
    await passwordStep(page, "tina@example.com");
    await page.getByRole("button", { name: "Use a recovery code" }).click();
    await page.getByLabel("Recovery code").fill(tina.recovery[0]!);
    await page.getByRole("button", { name: "Verify and sign in" }).click();
    await expect.poll(() => page.locator("form").getByRole("alert").textContent()).toMatch(/That code is not valid/);
    expect(page.url()).toContain("/login");
    await page.getByLabel("Recovery code").fill(tina.recovery[1]!);
    await page.getByRole("button", { name: "Verify and sign in" }).click();
    await page.waitForURL((u) => !u.pathname.startsWith("/login"));
    await page.goto(`${server.url}/account`);
    expect(await page.getByTestId("recovery-codes-left").textContent()).toContain("8 recovery codes left");
    const events = await db().auditEvent.findMany({ where: { action: "user.recovery_code_use" } });
    expect(events.map((e) => JSON.parse(e.metadata!).remaining).sort()).toEqual([8, 9]);
  });

  it("a workspace that requires a second factor shows a password member without one what to do, and lets them in once they enrolled", async () => {
    const tinaPage = await (await newContext(browser)).newPage();
    await passwordStep(tinaPage, "tina@example.com");
    await tinaPage.getByRole("button", { name: "Use a recovery code" }).click();
    await tinaPage.getByLabel("Recovery code").fill(tina.recovery[2]!);
    await tinaPage.getByRole("button", { name: "Verify and sign in" }).click();
    await tinaPage.waitForURL((u) => !u.pathname.startsWith("/login"));

    // Mark signs up (his own workspace: without a second factor he cannot require one there).
    const page = await (await newContext(browser)).newPage();
    await signUp(page, "Mark", "mark@example.com");
    await page.goto(`${page.url()}/settings`);
    await page.getByTestId("require-mfa-self").waitFor();
    expect(await page.getByLabel("Require a second factor").isDisabled()).toBe(true);
    const mark = await db().user.findUniqueOrThrow({ where: { email: "mark@example.com" } });
    await db().membership.create({ data: { workspaceId: tinaWorkspace, userId: mark.id, role: "member" } });

    // Tina (with a second factor) requires one in her workspace; Mark is marked on the Members page.
    await tinaPage.goto(`${server.url}/w/${tinaWorkspace}/settings`);
    await tinaPage.getByLabel("Require a second factor").check();
    await tinaPage.getByTestId("mfa-policy-form").getByRole("button", { name: "Save" }).click();
    await tinaPage.getByText("A second factor is now required").waitFor();
    await expect.poll(async () => (await db().workspace.findUniqueOrThrow({ where: { id: tinaWorkspace } })).requireMfa).toBe(true);
    await tinaPage.reload();
    await shot(tinaPage, "settings-require-mfa");
    await tinaPage.goto(`${server.url}/w/${tinaWorkspace}/members`);
    const markRow = tinaPage.getByTestId("member-row").and(tinaPage.locator('[data-email="mark@example.com"]'));
    expect(await markRow.getByTestId("member-no-mfa").textContent()).toBe("No 2FA: blocked");
    await shot(tinaPage, "members-no-mfa");

    // Mark opens Tina's workspace: not a crash or a bare 404, but what to do.
    await page.goto(`${server.url}/w/${tinaWorkspace}/members`);
    const blocked = page.getByTestId("mfa-required");
    await blocked.waitFor();
    expect(await blocked.getByRole("heading").textContent()).toBe("This workspace requires a second factor");
    expect(await blocked.textContent()).toContain("Tina's workspace");
    await shot(page, "workspace-mfa-required");
    await shot(page, "workspace-mfa-required", true);
    expect(await db().auditEvent.count({ where: { workspaceId: tinaWorkspace, actorId: mark.id, result: "denied" } })).toBeGreaterThan(0);
    await blocked.getByRole("link", { name: "Set up a second factor" }).click();
    await page.waitForURL(/\/account$/);
    expect(await page.getByTestId("mfa-required-notice").textContent()).toContain("Tina's workspace");
    await shot(page, "account-mfa-required");
    const markApp = await enrol(page);

    await page.goto(`${server.url}/w/${tinaWorkspace}/members`);
    await page.getByRole("heading", { name: "Members" }).waitFor();
    expect(await page.getByTestId("mfa-required").count()).toBe(0);

    // Turning it off: past the sudo window the dashboard asks "Confirm it's you" first (the
    // password here), then for a code, and warns that Tina's workspace will shut him out again.
    await db().session.updateMany({ where: { userId: mark.id }, data: { reauthAt: new Date(Date.now() - 11 * 60 * 1000) } });
    await page.goto(`${server.url}/account`);
    await page.getByRole("button", { name: "Turn off" }).click();
    const confirm = page.getByRole("dialog", { name: "Confirm it's you" });
    await confirm.waitFor();
    await confirm.getByLabel("Password").fill(PASSWORD);
    await confirm.getByRole("button", { name: "Confirm" }).click();
    const dialog = page.getByRole("dialog", { name: "Turn off the second factor?" });
    await dialog.waitFor();
    expect(await dialog.getByTestId("mfa-disable-warning").textContent()).toContain("Tina's workspace");
    await shot(page, "mfa-disable");
    await dialog.getByLabel("Code from the app, or a recovery code").fill(code(markApp.app));
    await dialog.getByRole("button", { name: "Turn off" }).click();
    await dialog.waitFor({ state: "detached" });
    await page.getByRole("button", { name: "Set up an authenticator app" }).waitFor();
    const off = await mailWhere((m) => m.to.includes("mark@example.com") && mailText(m).includes("was turned off"));
    expect(mailText(off)).toContain("Tina's workspace");
    await page.goto(`${server.url}/w/${tinaWorkspace}/members`);
    await page.getByTestId("mfa-required").waitFor();
  });

  it("LOG-03: no key, code or recovery code in the server's output or a mail", () => {
    expect(canaries.keys.length).toBeGreaterThanOrEqual(6);
    expect(canaries.recovery).toHaveLength(20);
    const out = server.output();
    expect(out).toContain("mail sent");
    const sinks = [out, ...mailbox!.received.map(mailText)];
    for (const sink of sinks) {
      for (const s of [...canaries.keys, ...canaries.recovery, ...canaries.recovery.map((c) => c.replace(/-/g, ""))]) expect(sink).not.toContain(s);
      // Six digits could be part of any longer number (timestamps): a code on its own.
      for (const c of canaries.codes) expect(sink).not.toMatch(new RegExp(`(?<![0-9])${c}(?![0-9])`));
    }
  });
});
