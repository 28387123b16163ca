// Sessions and sudo mode in a real browser (Debian's Chromium) against the production server:
// - SES-08: two browsers signed in as the same user; the first ends the second's session from
//   Account > Sessions, and the second's next request lands on /login; "End all other sessions";
//   ending this browser's own session signs it out; a platform admin ends a user's sessions from
//   the Admin page. SES-03: signing in again in a browser ends its previous session.
// - SES-07: with the session's last confirmation back-dated past the 10-minute window (the database
//   row, as the clock would leave it), minting an owner token and deleting a workspace open
//   "Confirm it's you": a wrong password shows the error and changes nothing, the right one
//   completes the action.
// The server shares this test file's SQLite database (tests/setup/per-file.ts).
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/db/client";
import { createWorkspace } from "../../lib/services/workspaces";
import { CHROMIUM, hasChromium, launchBrowser, newContext, PHONE, signInAfterSignUp } from "../helpers/browser";
import { meta } from "../helpers/fixtures";
import { startFileServer, type RunningServer } from "../helpers/server";

const SHOTS = process.env.TESSERA_SCREENSHOTS; // a folder: save screenshots there to look at them
const RUN = hasChromium() || Boolean(process.env.CI);
if (!RUN) console.warn(`Browser tests skipped: ${CHROMIUM} not found (apt-get install chromium)`);
const PASSWORD = "correct horse battery staple";
const WRONG = "not the password at all";
const EMAIL = "sam@example.com";
const MINUTE = 60_000;
/** Waiting for the page after an action: generous, the machine running the tests may be busy. */
const POLL = { interval: 250 }; // the timeout is the hang guard (vitest.config.ts)

let server: RunningServer;
let browser: Browser;
let first: Page;
let userId: string;
const contexts: BrowserContext[] = [];

async function shot(p: Page, name: string) {
  if (SHOTS) await p.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

async function newPage(viewport?: { width: number; height: number }): Promise<Page> {
  const ctx = await newContext(browser, viewport);
  contexts.push(ctx);
  return ctx.newPage();
}

/** Signs in on /login in a fresh browser (context) and waits to be in the dashboard. */
async function signedIn(viewport?: { width: number; height: number }, email = EMAIL): Promise<Page> {
  const p = await newPage(viewport);
  await p.goto(`${server.url}/login`);
  await p.getByLabel("Email", { exact: true }).fill(email);
  await p.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await p.getByRole("button", { name: "Sign in", exact: true }).click();
  await p.waitForURL((u) => !u.pathname.startsWith("/login"));
  return p;
}

const rows = (p: Page) => p.getByTestId("session-row");
const otherRows = (p: Page) => p.locator('[data-testid="session-row"]:not([data-current])');
const liveSessions = () => db().session.count({ where: { userId, revokedAt: null } });

/** Leaves the user's live sessions 11 minutes past their last confirmation (the sudo window is 10). */
async function outsideSudoWindow(): Promise<void> {
  await db().session.updateMany({ where: { userId, revokedAt: null }, data: { reauthAt: new Date(Date.now() - 11 * MINUTE) } });
}

/** The "Confirm it's you" dialog: a wrong password shows the error and keeps it open; then the right one. */
async function confirmItsYou(p: Page, screenshot?: string): Promise<void> {
  const dialog = p.getByRole("dialog", { name: "Confirm it's you" });
  await dialog.waitFor();
  if (screenshot) await shot(p, screenshot);
  await dialog.getByLabel("Password").fill(WRONG);
  await dialog.getByRole("button", { name: "Confirm" }).click();
  await dialog.getByText("That password is not right.").waitFor();
  if (screenshot) await shot(p, `${screenshot}-wrong`);
  await dialog.getByLabel("Password").fill(PASSWORD);
  await dialog.getByRole("button", { name: "Confirm" }).click();
  await dialog.waitFor({ state: "detached" });
}

beforeAll(async () => {
  if (!RUN) return;
  server = await startFileServer("sessions", { TESSERA_AUTO_ACTIVATE: "true" });
  browser = await launchBrowser();
  first = await newPage();
  await first.goto(`${server.url}/signup`);
  await first.getByLabel("Name").fill("Sam Sessions");
  await first.getByLabel("Work email").fill(EMAIL);
  await first.getByLabel("Password").fill(PASSWORD);
  await first.getByRole("button", { name: "Create account" }).click();
  await signInAfterSignUp(first, EMAIL, PASSWORD);
  await first.waitForURL(/\/w\/[a-z0-9]+$/);
  userId = (await db().user.findUniqueOrThrow({ where: { email: EMAIL } })).id;
}, 300_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

describe.runIf(RUN)("sessions in the browser", () => {
  it("SES-08: the first browser ends the second's session from the list; the second's next request lands on /login", async () => {
    const second = await signedIn(PHONE);
    const secondHome = second.url();
    await first.goto(`${server.url}/account`);
    await expect.poll(() => rows(first).count(), POLL).toBe(2);
    const here = rows(first).filter({ has: first.getByText("This device") });
    expect(await here.count()).toBe(1);
    expect(await here.textContent()).toMatch(/Headless Chrome \d+ on Linux/);
    expect(await here.textContent()).toContain("active now");
    expect(await otherRows(first).textContent()).toMatch(/ · signed in with a password .* · last seen \d+ minutes? ago/);
    await shot(first, "account-sessions");
    await second.goto(`${server.url}/account`);
    await rows(second).first().waitFor();
    await shot(second, "account-sessions-phone");

    await otherRows(first).getByRole("button", { name: "End this session" }).click();
    const confirm = first.getByRole("alertdialog", { name: "End this session?" });
    await shot(first, "account-sessions-end");
    await confirm.getByRole("button", { name: "End session" }).click();
    await expect.poll(() => rows(first).count(), POLL).toBe(1);
    expect(await db().auditEvent.count({ where: { action: "user.session_revoke", targetId: userId, result: "success" } })).toBe(1);

    // The second browser's next request: the sign-in page.
    await second.goto(secondHome);
    await second.waitForURL(/\/login/);
    // The first is still signed in.
    await first.reload();
    await rows(first).first().waitFor();
  });

  it("SES-03 SES-08: 'End all other sessions' signs the others out and keeps this one; ending this browser's own session signs it out", async () => {
    const others = [await signedIn(), await signedIn(PHONE)];
    await first.goto(`${server.url}/account`);
    await expect.poll(() => rows(first).count(), POLL).toBe(3);
    await first.getByRole("button", { name: "End all other sessions" }).click();
    await first.getByRole("alertdialog", { name: "End all other sessions?" }).getByRole("button", { name: "End other sessions" }).click();
    await expect.poll(() => rows(first).count(), POLL).toBe(1);
    expect(await first.getByRole("button", { name: "End all other sessions" }).count()).toBe(0);
    for (const p of others) {
      await p.reload();
      await p.waitForURL(/\/login/);
    }

    const another = await signedIn();
    await another.goto(`${server.url}/account`);
    const own = rows(another).filter({ has: another.getByText("This device") });
    await own.getByRole("button", { name: "End this session" }).click();
    await another.getByRole("alertdialog", { name: "End this session?" }).getByRole("button", { name: "End and sign out" }).click();
    await another.waitForURL(/\/login/);
    await another.goto(`${server.url}/account`);
    await another.waitForURL(/\/login/);
    // Only the first browser is left.
    expect(await liveSessions()).toBe(1);
    await first.reload();
    await expect.poll(() => rows(first).count(), POLL).toBe(1);

    // SES-03: signing in again in a browser that has a session ends that session (one per browser).
    const twice = await signedIn();
    expect(await liveSessions()).toBe(2);
    const csrf = ((await (await twice.request.get(`${server.url}/api/auth/csrf`)).json()) as { csrfToken: string }).csrfToken;
    const res = await twice.request.post(`${server.url}/api/auth/callback/credentials`, {
      form: { csrfToken: csrf, email: EMAIL, password: PASSWORD, json: "true" },
      headers: { origin: server.url },
      maxRedirects: 0,
    });
    expect(res.status()).toBeLessThan(400);
    expect(await liveSessions()).toBe(2);
    await twice.goto(`${server.url}/account`);
    await expect.poll(() => rows(twice).count(), POLL).toBe(2);
    expect(await rows(twice).filter({ has: twice.getByText("This device") }).count()).toBe(1);
  });

  it("SES-07: outside the window, an owner token asks 'Confirm it's you'; a wrong password changes nothing; the right one creates it", async () => {
    // The personal workspace made at sign-up (active: this server activates new workspaces).
    const { workspaceId } = await db().membership.findFirstOrThrow({ where: { userId } });
    await outsideSudoWindow();
    await first.goto(`${server.url}/w/${workspaceId}/tokens`);
    await first.getByRole("button", { name: "Create token" }).click();
    const dialog = first.getByRole("dialog", { name: "Create token" });
    await dialog.getByRole("radio", { name: /Workspace token/ }).check();
    await dialog.getByLabel("Name").fill("Owner automation");
    await dialog.getByRole("combobox", { name: /Acts with the role/ }).selectOption("owner");
    await dialog.getByRole("button", { name: "Create token" }).click();

    const reauth = first.getByRole("dialog", { name: "Confirm it's you" });
    await reauth.waitFor();
    await shot(first, "sudo-confirm");
    await reauth.getByLabel("Password").fill(WRONG);
    await reauth.getByRole("button", { name: "Confirm" }).click();
    await reauth.getByText("That password is not right.").waitFor();
    await shot(first, "sudo-confirm-wrong");
    expect(await db().token.count({ where: { workspaceId } })).toBe(0);
    await reauth.getByLabel("Password").fill(PASSWORD);
    await reauth.getByRole("button", { name: "Confirm" }).click();

    const revealed = first.getByRole("dialog", { name: "Copy your new token" });
    await revealed.waitFor();
    expect(await revealed.getByTestId("token-value").textContent()).toMatch(/^tsr_wsp_/);
    await revealed.getByRole("button", { name: "Done" }).click();
    expect(await db().token.findMany({ where: { workspaceId }, select: { name: true, role: true } })).toEqual([{ name: "Owner automation", role: "owner" }]);
    // Confirmed: the next sensitive action within 10 minutes is not asked again.
    const events = await db().auditEvent.findMany({ where: { action: "user.reauthenticate", targetId: userId }, select: { result: true, metadata: true } });
    expect(events.map((e) => e.result).sort()).toEqual(["denied", "success"]);
    expect(JSON.stringify(events)).not.toContain(WRONG);
    expect(server.output()).not.toContain(WRONG);
    expect(server.output()).not.toContain(PASSWORD);
  });

  it("SES-07: deleting a workspace after the window: the dialog appears, Cancel changes nothing, the password deletes it", async () => {
    const ws = await createWorkspace({ type: "user", userId, email: EMAIL, isPlatformAdmin: true, sessionId: null, meta: meta() }, { name: "Scratch team" });
    await outsideSudoWindow();
    await first.goto(`${server.url}/w/${ws.id}/settings`);
    await first.getByRole("button", { name: "Delete workspace" }).click();
    const confirm = first.getByRole("alertdialog", { name: "Delete this workspace?" });
    await confirm.getByLabel(/Type .* to confirm/).fill("Scratch team");
    await confirm.getByRole("button", { name: "Delete workspace" }).click();
    const reauth = first.getByRole("dialog", { name: "Confirm it's you" });
    await reauth.waitFor();
    await reauth.getByRole("button", { name: "Cancel" }).click();
    await reauth.waitFor({ state: "detached" });
    await first.getByText("Not confirmed: nothing was changed.").waitFor();
    expect(await db().workspace.findUnique({ where: { id: ws.id } })).not.toBeNull();

    // Again, now confirming (a wrong password first).
    await confirm.getByRole("button", { name: "Delete workspace" }).click();
    await confirmItsYou(first);
    await first.waitForURL((u) => !u.pathname.includes(ws.id));
    await expect.poll(() => db().workspace.findUnique({ where: { id: ws.id } }), POLL).toBeNull();
    const denied = await db().auditEvent.count({ where: { workspaceId: ws.id, action: "workspace.delete", result: "denied" } });
    expect(denied).toBe(2);
  });

  it("SES-08: a platform admin ends another user's sessions from the Admin page; that browser lands on /login", async () => {
    // The first account of a fresh install is a platform admin: Sam. Bo signs up in another browser.
    const bo = await newPage(PHONE);
    await bo.goto(`${server.url}/signup`);
    await bo.getByLabel("Name").fill("Bo");
    await bo.getByLabel("Work email").fill("bo@example.com");
    await bo.getByLabel("Password").fill(PASSWORD);
    await bo.getByRole("button", { name: "Create account" }).click();
    await signInAfterSignUp(bo, "bo@example.com", PASSWORD);
    await bo.waitForURL((u) => !u.pathname.startsWith("/login"));
    const boHome = bo.url();

    await first.goto(`${server.url}/admin`);
    const boRow = first.getByRole("listitem").filter({ hasText: "bo@example.com" });
    await shot(first, "admin-users-sessions");
    await boRow.getByRole("button", { name: "End sessions" }).click();
    await first.getByRole("alertdialog", { name: "End every session of bo@example.com?" }).getByRole("button", { name: "End sessions" }).click();
    await first.getByText("Ended 1 session of bo@example.com").waitFor();
    await bo.goto(boHome);
    await bo.waitForURL(/\/login/);
    const boId = (await db().user.findUniqueOrThrow({ where: { email: "bo@example.com" } })).id;
    expect(await db().auditEvent.count({ where: { action: "user.sessions_revoke_admin", targetId: boId, actorId: userId } })).toBe(1);

    const phone = await signedIn(PHONE);
    await phone.goto(`${server.url}/admin`);
    await phone.getByRole("button", { name: "End sessions" }).first().waitFor();
    await shot(phone, "admin-users-sessions-phone");
  });
});
