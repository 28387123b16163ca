// The dashboard Tokens page in a real browser (Debian's Chromium) against the production server:
// create through the dialog, use the revealed value in a real API call, check that it is never
// shown again, then renew, cancel (the API answers 401 "cancelled") and delete.
// The server shares this test file's SQLite database, so the test can add workloads (there is
// no workload service yet) and age a token, as another instance would see them.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserActor } from "../../lib/auth/actor";
import { db } from "../../lib/db/client";
import { createSecret } from "../../lib/services/secrets";
import { CHROMIUM, DESKTOP, hasChromium, launchBrowser, newContext, PHONE, signInAfterSignUp } from "../helpers/browser";
import { meta } from "../helpers/fixtures";
import { freePort, startServer, type RunningServer } from "../helpers/server";

const SHOTS = process.env.TESSERA_SCREENSHOTS; // a folder: save screenshots there to look at them
// CI installs Chromium (.ci/run) and must run these tests; elsewhere they are skipped, loudly, without it.
const RUN = hasChromium() || Boolean(process.env.CI);
if (!RUN) console.warn(`Browser tests skipped: ${CHROMIUM} not found (apt-get install chromium)`);
const PASSWORD = "correct horse battery staple";
const DAY = 24 * 60 * 60 * 1000;

let server: RunningServer;
let browser: Browser;
let page: Page;
let workspaceId: string;
let tokensUrl: string;
let firstValue: string;

async function shot(p: Page, name: string) {
  if (SHOTS) await p.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

const row = (name: string): Locator => page.getByTestId("token-row").filter({ has: page.getByText(name, { exact: true }) });

function callApi(value: string) {
  return fetch(`${server.url}/api/v1/workspaces/${workspaceId}`, { headers: { authorization: `Bearer ${value}` } });
}

/** Fills and submits the create dialog, and returns the revealed value (closing the reveal). */
async function createToken(opts: { name: string; kind?: string; expiry?: string; readOnly?: boolean; workload?: string; screenshot?: string }) {
  await page.getByRole("button", { name: "Create token" }).click();
  const dialog = page.getByRole("dialog", { name: "Create token" });
  if (opts.kind) await dialog.getByRole("radio", { name: new RegExp(opts.kind) }).check();
  await dialog.getByLabel("Name").fill(opts.name);
  if (opts.workload) await dialog.getByRole("combobox", { name: /Workload/ }).selectOption({ label: opts.workload });
  if (opts.expiry) await dialog.getByText(opts.expiry, { exact: true }).click();
  if (opts.readOnly) await dialog.getByRole("radio", { name: /Read-only/ }).check();
  if (opts.screenshot) await shot(page, opts.screenshot);
  await dialog.getByRole("button", { name: "Create token" }).click();
  const reveal = page.getByRole("dialog", { name: "Copy your new token" });
  await reveal.waitFor();
  const value = (await reveal.getByTestId("token-value").textContent())!;
  await reveal.getByRole("button", { name: "Done" }).click();
  await reveal.waitFor({ state: "detached" });
  await row(opts.name).waitFor();
  return value;
}

/** A 1-day token with 2 hours left (in the last fifth of its lifetime), as time would make it. */
async function ageToken(name: string) {
  const now = Date.now();
  await db().token.updateMany({ where: { workspaceId, name }, data: { createdAt: new Date(now - 22 * 60 * 60 * 1000), expiresAt: new Date(now + 2 * 60 * 60 * 1000) } });
}

/** Opens a row's action menu with the keyboard and picks an item. */
async function rowAction(name: string, item: string) {
  const trigger = row(name).getByRole("button", { name: `Actions for ${name}` });
  await trigger.focus();
  await page.keyboard.press("Enter");
  await page.getByRole("menuitem", { name: item }).click();
}

beforeAll(async () => {
  if (!RUN) return;
  const port = await freePort();
  const appUrl = `http://localhost:${port}`;
  server = await startServer(
    {
      // This test file's own database and keys (tests/setup/per-file.ts), shared with the server.
      DATABASE_URL: process.env.DATABASE_URL!,
      TESSERA_AUTH_SECRET: process.env.TESSERA_AUTH_SECRET!,
      TESSERA_MASTER_KEY: process.env.TESSERA_MASTER_KEY!,
      TESSERA_DATA_DIR: mkdtempSync(path.join(tmpdir(), "tessera-tokens-")),
      TESSERA_PUBLIC_URL: appUrl,
      TESSERA_AUTO_ACTIVATE: "true",
      TESSERA_LOG_LEVEL: "warn",
    },
    240_000,
    port,
  );
  browser = await launchBrowser();
  page = await (await newContext(browser)).newPage();
  await page.goto(`${server.url}/signup`);
  await page.getByLabel("Name").fill("Tess Tokens");
  await page.getByLabel("Work email").fill("tess@example.com");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await signInAfterSignUp(page, "tess@example.com", PASSWORD);
  await page.waitForURL(/\/w\/[a-z0-9]+$/);
  workspaceId = new URL(page.url()).pathname.split("/")[2]!;
  tokensUrl = `${server.url}/w/${workspaceId}/tokens`;
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe.runIf(RUN)("the Tokens page", () => {
  it("TOK-08: creates a token through the dialog; its one-time value works against the API and is never shown again", async () => {
    await page.goto(tokensUrl);
    await expect.poll(() => page.getByRole("heading", { name: "Tokens", level: 1 }).isVisible()).toBe(true);
    await expect.poll(() => page.getByText("No tokens yet").isVisible()).toBe(true);
    await shot(page, "tokens-empty");

    // A validation error from the service shows next to its field; the dialog stays open.
    await page.getByRole("button", { name: "Create token" }).click();
    const dialog = page.getByRole("dialog", { name: "Create token" });
    await dialog.getByRole("button", { name: "Create token" }).click();
    await expect.poll(() => dialog.getByRole("alert").first().textContent()).toBe("Name must not be empty");
    await expect.poll(() => dialog.getByLabel("Name").getAttribute("aria-invalid")).toBe("true");
    // Only the kinds and presets this owner and workspace allow (maximum 90 days).
    for (const kind of ["User token", "Workspace token", "Workload token"]) {
      await expect.poll(() => dialog.getByRole("radio", { name: new RegExp(kind) }).isEnabled(), { message: kind }).toBe(true);
    }
    for (const preset of ["1 day", "7 days", "30 days", "90 days", "Custom date"]) {
      await expect.poll(() => dialog.getByText(preset, { exact: true }).isVisible(), { message: preset }).toBe(true);
    }
    await expect.poll(() => dialog.getByRole("radio", { name: "1 day", exact: true }).isChecked()).toBe(true);
    await dialog.getByLabel(/Description/).fill("Deploys from GitHub Actions");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });

    await page.getByRole("button", { name: "Create token" }).click();
    await dialog.getByLabel("Name").fill("CI deploy");
    await dialog.getByLabel(/Description/).fill("Deploys from GitHub Actions");
    await dialog.getByText("7 days", { exact: true }).click();
    await expect.poll(() => dialog.getByText(/Expires .*This workspace allows at most 90 days/).isVisible()).toBe(true);
    await shot(page, "tokens-create-dialog");
    await dialog.getByRole("button", { name: "Create token" }).click();

    const reveal = page.getByRole("dialog", { name: "Copy your new token" });
    await reveal.waitFor();
    const value = (await reveal.getByTestId("token-value").textContent())!;
    expect(value).toMatch(/^tsr_usr_[0-9A-Za-z]{38}$/);
    await expect.poll(() => reveal.getByText("This is the only time the token is shown.").isVisible()).toBe(true);
    await expect.poll(() => reveal.getByTestId("token-curl").textContent()).toBe(
      `curl -H "Authorization: Bearer ${value}" ${server.url}/api/v1/workspaces/${workspaceId}`,
    );
    await reveal.getByRole("button", { name: "Copy token" }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(value);
    await shot(page, "tokens-reveal");
    // A click outside does not lose the value by accident.
    await page.mouse.click(5, 5);
    await expect.poll(() => reveal.isVisible()).toBe(true);

    // A real API call with the value shown.
    const ok = await callApi(value);
    expect(ok.status).toBe(200);
    expect((await ok.json()).id).toBe(workspaceId);

    await reveal.getByRole("button", { name: "Done" }).click();
    await reveal.waitFor({ state: "detached" });
    const random = value.slice(8, -4);
    await expect.poll(() => page.content()).not.toContain(random);
    expect(page.url()).not.toContain(random);
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
    expect(stored).not.toContain(random);

    // After a reload: nowhere in the HTML; the list shows only the prefix and the last 4.
    await page.reload();
    const html = await (await fetch(page.url(), { headers: { cookie: await cookieHeader() } })).text();
    expect(html).toContain("CI deploy");
    expect(html).not.toContain(random);
    await expect.poll(() => page.content()).not.toContain(random);
    const partial = `tsr_usr_…${value.slice(-4)}`;
    await expect.poll(() => row("CI deploy").getByTestId("token-partial").textContent()).toBe(partial);
    await expect.poll(() => row("CI deploy").textContent()).toContain("Deploys from GitHub Actions");
    await expect.poll(() => row("CI deploy").textContent()).toContain("Created byTess Tokens");
    await expect.poll(() => row("CI deploy").getByText("active", { exact: true }).isVisible()).toBe(true);
    await expect.poll(() => row("CI deploy").getByText("expires soon").count()).toBe(0);
    // The database holds only a hash.
    const dbRow = await db().token.findFirstOrThrow({ where: { workspaceId, name: "CI deploy" } });
    expect(JSON.stringify(dbRow)).not.toContain(random);
    firstValue = value;
  });

  it("creates workload tokens with the workload picker, and workspace tokens with a role and read-only access", async () => {
    // With no workloads, the dialog says the token can be linked later.
    await page.goto(tokensUrl);
    await page.getByRole("button", { name: "Create token" }).click();
    const dialog = page.getByRole("dialog", { name: "Create token" });
    await dialog.getByRole("radio", { name: /Workload token/ }).check();
    await expect.poll(() => dialog.getByText(/no workloads yet\. The token is created unassigned/).isVisible()).toBe(true);
    await page.keyboard.press("Escape");

    for (const name of ["llama-serve", "batch-embed"]) await db().workload.create({ data: { workspaceId, name, kind: "endpoint" } });
    await page.reload();
    const wl = await createToken({ name: "Serving gateway", kind: "Workload token", workload: "llama-serve", expiry: "30 days", screenshot: "tokens-create-workload" });
    expect(wl).toMatch(/^tsr_wkl_/);
    await expect.poll(() => row("Serving gateway").textContent()).toContain("Workloadllama-serve");
    const ws = await createToken({ name: "Nightly export", kind: "Workspace token", expiry: "90 days", readOnly: true });
    expect(ws).toMatch(/^tsr_wsp_/);
    await expect.poll(() => row("Nightly export").textContent()).toContain("Accessread-only");
    await expect.poll(() => row("Nightly export").textContent()).toContain("Rolemember");
    await expect.poll(() => row("Nightly export").textContent()).toContain("Last usednever");
    const read = await callApi(ws);
    expect(read.status).toBe(200);
    // Last use (date and address) is written off the hot path, within seconds.
    await expect
      .poll(
        async () => {
          await page.reload();
          return row("Nightly export").textContent();
        },
        { interval: 1_000 }, // the timeout is the hang guard (vitest.config.ts)
      )
      .toMatch(/Last used\d{4}-\d\d-\d\d \d\d:\d\d UTC from \S+/);

    // Reassign the workload token to the other workload, then unassign it.
    await rowAction("Serving gateway", "Reassign…");
    const reassign = page.getByRole("dialog", { name: "Reassign Serving gateway" });
    await reassign.getByLabel("Workload").selectOption({ label: "batch-embed" });
    await reassign.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => row("Serving gateway").textContent()).toContain("Workloadbatch-embed");
    await rowAction("Serving gateway", "Reassign…");
    await reassign.getByLabel("Workload").selectOption({ label: "Unassigned" });
    await reassign.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => row("Serving gateway").textContent()).toContain("Workloadunassigned");
  });

  it("renews a token that expires soon", async () => {
    await createToken({ name: "Laptop CLI" });
    // A fresh 1-day token is not "expiring soon": the badge means the last fifth of its lifetime.
    await expect.poll(() => row("Laptop CLI").getByText("expires soon").count()).toBe(0);
    await ageToken("Laptop CLI");
    await page.reload();
    await expect.poll(() => row("Laptop CLI").getByText("expires soon").isVisible()).toBe(true);
    await expect.poll(() => row("Laptop CLI").getByTestId("token-expires-soon").getAttribute("title")).toMatch(/less than a fifth of its current lifetime/);
    await rowAction("Laptop CLI", "Renew…");
    const renew = page.getByRole("dialog", { name: "Renew Laptop CLI" });
    await renew.getByText("30 days", { exact: true }).click();
    await renew.getByRole("button", { name: "Renew token" }).click();
    await expect.poll(() => row("Laptop CLI").getByText("expires soon").count()).toBe(0);
    await expect.poll(() => row("Laptop CLI").textContent()).toMatch(/\(in (29|30) days\)/);
    // Focus returns to the row's menu button.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("Actions for Laptop CLI");
  });

  it("cancels a token through the confirmation dialog; the same API call then gets 401 cancelled", async () => {
    await rowAction("CI deploy", "Cancel token…");
    const confirm = page.getByRole("alertdialog", { name: "Cancel this token?" });
    await expect.poll(() => confirm.textContent()).toContain("CI deploy");
    // Not "Cancel" next to "Cancel token": the way out says what it does.
    expect((await confirm.getByRole("button").allTextContents()).map((t) => t.trim())).toEqual(["Keep token", "Cancel token"]);
    await confirm.getByRole("button", { name: "Cancel token" }).click();
    await expect.poll(() => row("CI deploy").getByText("cancelled", { exact: true }).isVisible()).toBe(true);
    const res = await callApi(firstValue);
    expect(res.status).toBe(401);
    expect((await res.json()).error).toMatchObject({ code: "UNAUTHORIZED", message: "The bearer token has been cancelled" });
    // Cancelled tokens can only be deleted.
    await row("CI deploy").getByRole("button", { name: "Actions for CI deploy" }).click();
    expect((await page.getByRole("menuitem").allTextContents()).map((t) => t.trim())).toEqual(["Delete…"]);
    await page.keyboard.press("Escape");

    // An expired token and one that expires soon, for the list as people see it.
    await createToken({ name: "Old laptop" });
    await db().token.updateMany({ where: { workspaceId, name: "Old laptop" }, data: { expiresAt: new Date(Date.now() - 2 * DAY) } });
    await createToken({ name: "Demo script" });
    await ageToken("Demo script");
    await page.reload();
    await expect.poll(() => row("Old laptop").getByText("expired", { exact: true }).isVisible()).toBe(true);
    await expect.poll(() => row("Demo script").getByText("expires soon").isVisible()).toBe(true);
    await shot(page, "tokens-list");
    const phone = await (await newContext(browser, PHONE)).newPage();
    await phone.context().addCookies(await page.context().cookies());
    await phone.goto(tokensUrl);
    await shot(phone, "tokens-list-phone");
    await phone.close();
  });

  it("deletes a token through a confirmation dialog that names it, with the keyboard", async () => {
    await rowAction("Old laptop", "Delete…");
    const confirm = page.getByRole("alertdialog", { name: "Delete this token?" });
    const text = await confirm.textContent();
    expect(text).toContain("Old laptop");
    expect(text).toMatch(/tsr_usr_…[0-9A-Za-z]{4}/);
    await shot(page, "tokens-delete-confirm");
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe("Keep token");
    // Focus starts on "Keep token"; Tab moves to the confirmation.
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await expect.poll(() => row("Old laptop").count()).toBe(0);
    expect(await db().token.count({ where: { workspaceId, name: "Old laptop" } })).toBe(0);
    await expect.poll(() => row("Demo script").count()).toBe(1);
  });

  it("offers members user tokens only; viewers cannot create, but can still cancel their own", async () => {
    const other = await (await newContext(browser)).newPage();
    await other.goto(`${server.url}/signup`);
    await other.getByLabel("Name").fill("Mo Member");
    await other.getByLabel("Work email").fill("mo@example.com");
    await other.getByLabel("Password").fill(PASSWORD);
    await other.getByRole("button", { name: "Create account" }).click();
    await signInAfterSignUp(other, "mo@example.com", PASSWORD);
    await other.waitForURL(/\/w\/[a-z0-9]+$/);
    const mo = await db().user.findUniqueOrThrow({ where: { email: "mo@example.com" } });
    await db().membership.create({ data: { workspaceId, userId: mo.id, role: "member" } });

    await other.goto(tokensUrl);
    // Members see only their own tokens: none yet, although the workspace has several.
    await expect.poll(() => other.getByText("No tokens yet").isVisible()).toBe(true);
    await other.getByRole("button", { name: "Create token" }).click();
    const dialog = other.getByRole("dialog", { name: "Create token" });
    await expect.poll(() => dialog.getByRole("radio", { name: /Workspace token|Workload token/ }).count()).toBe(0);
    await dialog.getByLabel("Name").fill("Mo's laptop");
    await dialog.getByRole("button", { name: "Create token" }).click();
    const reveal = other.getByRole("dialog", { name: "Copy your new token" });
    await expect.poll(() => reveal.getByTestId("token-value").textContent()).toMatch(/^tsr_usr_/);
    await reveal.getByRole("button", { name: "Done" }).click();
    const mine = other.getByTestId("token-row");
    await expect.poll(() => mine.count()).toBe(1);
    await expect.poll(() => mine.getByRole("button", { name: "Actions for Mo's laptop" }).isVisible()).toBe(true);

    // Demoted to viewer: nothing can be created or renewed, but one's own token can still be
    // given up (cancelled or deleted).
    await db().membership.update({ where: { workspaceId_userId: { workspaceId, userId: mo.id } }, data: { role: "viewer" } });
    await other.reload();
    await expect.poll(() => mine.count()).toBe(1);
    await expect.poll(() => other.getByRole("button", { name: "Create token" }).count()).toBe(0);
    await mine.getByRole("button", { name: "Actions for Mo's laptop" }).click();
    expect((await other.getByRole("menuitem").allTextContents()).map((t) => t.trim())).toEqual(["Cancel token…", "Delete…"]);
    await other.getByRole("menuitem", { name: "Cancel token…" }).click();
    await other.getByRole("alertdialog").getByRole("button", { name: "Cancel token" }).click();
    await expect.poll(() => mine.getByText("cancelled", { exact: true }).isVisible()).toBe(true);
    await other.close();
  });

  it("admins set the maximum token lifetime in Settings; the create dialog then offers only what it allows", async () => {
    await page.goto(`${server.url}/w/${workspaceId}/settings`);
    const field = page.getByLabel("Maximum token lifetime (days)");
    await expect.poll(() => field.inputValue()).toBe("90");
    const card = page.locator("section", { has: field });
    await field.fill("0");
    await card.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => card.getByRole("alert").textContent()).toBe("Maximum lifetime must be at least 1 day");
    await field.fill("400");
    await card.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => card.getByRole("alert").textContent()).toBe("Maximum lifetime must be at most 365 days");
    await field.fill("10");
    await card.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => card.getByRole("alert").count()).toBe(0);
    await page.reload();
    await expect.poll(() => page.getByLabel("Maximum token lifetime (days)").inputValue()).toBe("10");
    await expect.poll(() => page.getByText("Lowering it does not shorten tokens that already exist").isVisible()).toBe(true);
    await shot(page, "settings-token-policy");

    await page.goto(tokensUrl);
    // The 90-day token made before keeps its expiry.
    await expect.poll(() => row("Nightly export").textContent()).toMatch(/\(in (89|90) days\)/);
    await page.getByRole("button", { name: "Create token" }).click();
    const dialog = page.getByRole("dialog", { name: "Create token" });
    await expect.poll(() => dialog.getByText("10 days (maximum)", { exact: true }).isVisible()).toBe(true);
    await expect.poll(() => dialog.getByText("30 days", { exact: true }).count()).toBe(0);
    // A custom date beyond the maximum is refused by the service, next to the field.
    await dialog.getByLabel("Name").fill("Too long");
    await dialog.getByText("Custom date", { exact: true }).click();
    const inTwentyDays = new Date(Date.now() + 20 * DAY);
    const pad = (n: number) => String(n).padStart(2, "0");
    await dialog.getByLabel("Expiry date").fill(`${inTwentyDays.getFullYear()}-${pad(inTwentyDays.getMonth() + 1)}-${pad(inTwentyDays.getDate())}`);
    await dialog.getByRole("button", { name: "Create token" }).click();
    await expect.poll(() => dialog.getByRole("alert").first().textContent()).toBe("Expiration must be at most 10 days from now");
    await shot(page, "tokens-create-error");
    await page.keyboard.press("Escape");
    await expect.poll(() => row("Too long").count()).toBe(0);
  });
});

describe.runIf(RUN)("token details, the default expiry, and a workload's own page", () => {
  it("renames a token and edits its description from the actions menu (audited as token.rename)", async () => {
    await page.goto(tokensUrl);
    await createToken({ name: "Report script" });
    await rowAction("Report script", "Edit…");
    const edit = page.getByRole("dialog", { name: "Edit Report script" });
    await expect.poll(() => edit.getByLabel("Name").inputValue()).toBe("Report script");
    // A bad name is refused next to its field, once, and the dialog stays open.
    await edit.getByLabel("Name").fill("");
    await edit.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => edit.getByRole("alert").allTextContents()).toEqual(["Name must not be empty"]);
    await edit.getByLabel("Name").fill("Nightly report");
    await edit.getByLabel(/Description/).fill("Sends the GPU usage report at 02:00");
    await shot(page, "tokens-edit-dialog");
    await edit.getByRole("button", { name: "Save" }).click();
    await edit.waitFor({ state: "detached" });
    await row("Nightly report").waitFor();
    await expect.poll(() => row("Nightly report").textContent()).toContain("Sends the GPU usage report at 02:00");
    await expect.poll(() => row("Report script").count()).toBe(0);
    const t = await db().token.findFirstOrThrow({ where: { workspaceId, name: "Nightly report" } });
    expect(t.description).toBe("Sends the GPU usage report at 02:00");
    const event = await db().auditEvent.findFirstOrThrow({ where: { workspaceId, action: "token.rename", targetId: t.id } });
    expect(JSON.parse(event.metadata!)).toEqual({ name: "Nightly report" });

    // Clearing the description removes it.
    await rowAction("Nightly report", "Edit…");
    const again = page.getByRole("dialog", { name: "Edit Nightly report" });
    await expect.poll(() => again.getByLabel(/Description/).inputValue()).toBe("Sends the GPU usage report at 02:00");
    await again.getByLabel(/Description/).fill("");
    await again.getByRole("button", { name: "Save" }).click();
    await again.waitFor({ state: "detached" });
    await expect.poll(async () => (await db().token.findUniqueOrThrow({ where: { id: t.id } })).description).toBeNull();
  });

  it("sets the default expiry of new tokens in Settings (at most the maximum); the create dialog preselects it", async () => {
    await page.goto(`${server.url}/w/${workspaceId}/settings`);
    const field = page.getByLabel("Default expiry of new tokens (days)");
    await expect.poll(() => field.inputValue()).toBe("1");
    const card = page.locator("section", { has: field });
    await page.getByLabel("Maximum token lifetime (days)").fill("10");
    await field.fill("30");
    await card.getByRole("button", { name: "Save" }).click();
    // The default cannot exceed the maximum.
    await expect.poll(() => card.getByRole("alert").allTextContents()).toEqual(["Default expiry must be at most the maximum token lifetime (10 days)"]);
    await field.fill("7");
    await card.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => card.getByRole("alert").count()).toBe(0);
    await page.reload();
    await expect.poll(() => page.getByLabel("Default expiry of new tokens (days)").inputValue()).toBe("7");
    await shot(page, "settings-token-default");
    expect((await db().workspace.findUniqueOrThrow({ where: { id: workspaceId } })).defaultTokenExpiryDays).toBe(7);

    await page.goto(tokensUrl);
    await page.getByRole("button", { name: "Create token" }).click();
    const dialog = page.getByRole("dialog", { name: "Create token" });
    await expect.poll(() => dialog.getByRole("radio", { name: "7 days", exact: true }).isChecked()).toBe(true);
    await page.keyboard.press("Escape");
  });

  it("a workload's page creates a token bound to it; the reveal shows the working run command", async () => {
    if (!(await db().workload.findFirst({ where: { workspaceId, name: "llama-serve" } }))) {
      await db().workload.create({ data: { workspaceId, name: "llama-serve", kind: "endpoint" } });
    }
    await page.goto(`${server.url}/w/${workspaceId}/workloads`);
    await page.getByRole("link", { name: "llama-serve", exact: true }).click();
    await page.waitForURL(/\/workloads\/[a-z0-9]+$/);
    const workload = await db().workload.findFirstOrThrow({ where: { workspaceId, name: "llama-serve" } });
    expect(page.url()).toBe(`${server.url}/w/${workspaceId}/workloads/${workload.id}`);
    await expect.poll(() => page.getByRole("heading", { name: "llama-serve", level: 1 }).isVisible()).toBe(true);
    const management = page.getByTestId("token-management");
    await expect.poll(() => management.getByText("None yet").isVisible()).toBe(true);

    await management.getByRole("button", { name: "Create workload token" }).click();
    const dialog = page.getByRole("dialog", { name: "Create a token for llama-serve" });
    await expect.poll(() => dialog.getByTestId("token-fixed-workload").textContent()).toBe("llama-serve");
    await expect.poll(() => dialog.getByRole("radio", { name: /User token|Workspace token/ }).count()).toBe(0);
    await dialog.getByLabel("Name").fill("serve-prod");
    await shot(page, "workload-create-token");
    await dialog.getByRole("button", { name: "Create token" }).click();
    const reveal = page.getByRole("dialog", { name: "Copy your new token" });
    await reveal.waitFor();
    const value = (await reveal.getByTestId("token-value").textContent())!;
    expect(value).toMatch(/^tsr_wkl_/);
    await expect.poll(() => reveal.getByTestId("token-run").textContent()).toBe(
      `TESSERA_URL=${server.url} TESSERA_TOKEN=${value} tessera run --workspace ${workspaceId} --workload llama-serve -- python train.py`,
    );
    await expect.poll(() => reveal.getByTestId("token-curl").count()).toBe(0);
    await shot(page, "workload-token-reveal");
    // The token works for this workload: it exchanges itself for a credential.
    const exchanged = await fetch(`${server.url}/api/v1/workspaces/${workspaceId}/workloads/${workload.id}/credentials`, {
      method: "POST",
      headers: { authorization: `Bearer ${value}` },
    });
    expect(exchanged.status).toBe(201);
    await reveal.getByRole("button", { name: "Done" }).click();
    await reveal.waitFor({ state: "detached" });
    await expect.poll(() => management.getByTestId("workload-token").allTextContents()).toEqual([expect.stringContaining("serve-prod")]);
    const created = await db().token.findFirstOrThrow({ where: { workspaceId, name: "serve-prod" } });
    expect(created).toMatchObject({ kind: "workload", workloadId: workload.id });
    // The default expiry (7 days), as the Settings test set it.
    expect(Math.round((created.expiresAt.getTime() - created.createdAt.getTime()) / DAY)).toBe(7);
    await expect.poll(() => page.content()).not.toContain(value.slice(8, -4));
    await shotBoth(`${server.url}/w/${workspaceId}/workloads/${workload.id}`, "workload-page");

    // Unknown ids, malformed ids and another workspace's workloads answer 404.
    const elsewhere = await db().workspace.create({ data: { name: "Elsewhere", status: "active" } });
    const foreign = await db().workload.create({ data: { workspaceId: elsewhere.id, name: "foreign", kind: "job" } });
    for (const id of ["c000000000000000000000000", "not-an-id", foreign.id]) {
      const res = await page.goto(`${server.url}/w/${workspaceId}/workloads/${id}`);
      expect(res?.status(), id).toBe(404);
    }
  });

  it("binding a secret fills in its variable name (editable); a bad workload name is said once", async () => {
    const tess = await db().user.findUniqueOrThrow({ where: { email: "tess@example.com" } });
    const actor: UserActor = { type: "user", userId: tess.id, email: tess.email, isPlatformAdmin: false, sessionId: null, meta: meta() };
    await createSecret(actor, workspaceId, { name: "hf-canary-with-a-long-name", preset: "huggingface", value: `hf_${"a".repeat(34)}` });
    await page.goto(`${server.url}/w/${workspaceId}/workloads`);
    await page.getByRole("button", { name: "New workload" }).click();
    const dialog = page.getByRole("dialog", { name: "New workload" });
    await dialog.getByLabel("Name", { exact: true }).fill("Bad Name!");
    await dialog.getByRole("button", { name: "Add variable" }).click();
    await dialog.getByLabel("Variable 1 secret").selectOption({ label: "hf-canary-with-a-long-name (private)" });
    await expect.poll(() => dialog.getByLabel("Variable 1 name").inputValue()).toBe("HF_TOKEN");
    // The option's name is not cut: the picker is as wide as the dialog.
    const picker = dialog.getByLabel("Variable 1 secret");
    await expect.poll(() => picker.evaluate((el: HTMLSelectElement) => el.clientWidth >= 300)).toBe(true);
    await shotBoth(null, "workload-bind-secret");
    await dialog.getByRole("button", { name: "Create workload" }).click();
    await expect.poll(() => dialog.getByRole("alert").count()).toBe(1);
    const said = (await dialog.getByRole("alert").textContent())!;
    expect(said).toMatch(/^Name /);
    await expect.poll(() => dialog.textContent()).not.toContain("Invalid input at");
    // Editable: the prefilled name can be changed, and a different secret does not overwrite it.
    await dialog.getByLabel("Variable 1 name").fill("HUGGING_FACE_HUB_TOKEN");
    await dialog.getByLabel("Name", { exact: true }).fill("hf-bound");
    await dialog.getByRole("button", { name: "Create workload" }).click();
    await dialog.waitFor({ state: "detached" });
    const card = page.getByTestId("workload-card").and(page.locator('[data-name="hf-bound"]'));
    await card.waitFor();
    await expect.poll(() => card.getByText("HUGGING_FACE_HUB_TOKEN").isVisible()).toBe(true);
    await shotBoth(`${server.url}/w/${workspaceId}/workloads`, "workloads-list");
  });
});

/** Screenshots at 1440×900 and 390×844 (when TESSERA_SCREENSHOTS is set): of `url`, or of the current page as it is. */
async function shotBoth(url: string | null, name: string) {
  if (!SHOTS) return;
  if (!url) {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.screenshot({ path: path.join(SHOTS, `${name}-1440.png`) });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: path.join(SHOTS, `${name}-390.png`) });
    await page.setViewportSize(DESKTOP);
    return;
  }
  for (const [viewport, suffix] of [[{ width: 1440, height: 900 }, "1440"], [PHONE, "390"]] as const) {
    const p = await (await newContext(browser, viewport)).newPage();
    await p.context().addCookies(await page.context().cookies());
    await p.goto(url);
    await p.screenshot({ path: path.join(SHOTS, `${name}-${suffix}.png`), fullPage: true });
    await p.close();
  }
}

async function cookieHeader(): Promise<string> {
  return (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
}
