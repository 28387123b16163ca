// The Audit page in a real browser against the production server: events of real changes,
// filters as GET parameters, cursor pagination, the dashboard's streamed exports (session
// cookie), the retention setting, and what a member (no audit.read) sees.
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/db/client";
import { CHROMIUM, hasChromium, launchBrowser, newContext, PHONE, signInAfterSignUp } from "../helpers/browser";
import { startFileServer, type RunningServer } from "../helpers/server";

const SHOTS = process.env.TESSERA_SCREENSHOTS;
const RUN = hasChromium() || Boolean(process.env.CI);
if (!RUN) console.warn(`Browser tests skipped: ${CHROMIUM} not found (apt-get install chromium)`);
const PASSWORD = "correct horse battery staple";

let server: RunningServer;
let browser: Browser;
let page: Page;
let workspaceId: string;
let auditUrl: string;

async function shot(p: Page, name: string) {
  if (SHOTS) await p.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  if (!RUN) return;
  server = await startFileServer("audit");
  browser = await launchBrowser();
  page = await (await newContext(browser)).newPage();
  await page.goto(`${server.url}/signup`);
  await page.getByLabel("Name").fill("Ada Auditor");
  await page.getByLabel("Work email").fill("ada@example.com");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await signInAfterSignUp(page, "ada@example.com", PASSWORD);
  await page.waitForURL(/\/w\/[a-z0-9]+\/settings$/);
  workspaceId = new URL(page.url()).pathname.split("/")[2]!;
  auditUrl = `${server.url}/w/${workspaceId}/audit`;
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe.runIf(RUN)("the Audit page", { timeout: 120_000 }, () => {
  it("shows real changes with who, what, target, result, address and request id; filters narrow them", async () => {
    // A change made in the browser (rename), and many older events to page through.
    await page.locator("#workspace-name").fill("Audited Lab");
    await page.getByRole("button", { name: "Save" }).first().click();
    await expect.poll(async () => (await db().workspace.findUniqueOrThrow({ where: { id: workspaceId } })).name).toBe("Audited Lab");
    await db().auditEvent.createMany({
      data: Array.from({ length: 60 }, (_, i) => ({
        workspaceId,
        actorType: "token",
        actorId: `tok${i}`,
        actorLabel: "workspace token ci",
        action: "token.create",
        targetType: "token",
        targetId: `t${i}`,
        result: i % 10 ? "success" : "denied",
        createdAt: new Date(Date.now() - (i + 1) * 60_000),
      })),
    });
    await page.goto(auditUrl);
    const rows = page.getByTestId("audit-row");
    expect(await rows.count()).toBe(50);
    const rename = rows.filter({ hasText: "workspace.update" });
    expect(await rename.getByText("ada@example.com").isVisible()).toBe(true);
    expect(await rename.getByText("success").isVisible()).toBe(true);
    await shot(page, "audit-list");

    await page.getByRole("link", { name: "Older events →" }).click();
    await page.waitForURL(/cursor=/);
    expect(await rows.count()).toBeGreaterThan(0);
    await page.getByRole("link", { name: "← Newest" }).click();

    await page.getByLabel("Action").fill("token.");
    await page.getByLabel("Result").selectOption("denied");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL(/action=token\.&.*result=denied/);
    expect(await rows.count()).toBe(6);
    expect(await rows.filter({ hasNotText: "denied" }).count()).toBe(0);
    await shot(page, "audit-filtered");

    // A bad filter is a message on the page, not an error page.
    await page.goto(`${auditUrl}?from=not-a-date`);
    expect(await page.getByRole("alert").filter({ hasText: /from/ }).isVisible()).toBe(true);
  });

  it("downloads CSV and JSON Lines exports with the session, filtered as shown", async () => {
    await page.goto(`${auditUrl}?action=token.&result=denied`);
    const csvHref = await page.getByRole("link", { name: "CSV" }).getAttribute("href");
    expect(csvHref).toContain("format=csv");
    expect(csvHref).toContain("result=denied");
    const csv = await page.request.get(`${server.url}${csvHref}`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()["content-type"]).toMatch(/^text\/csv/);
    expect(csv.headers()["content-disposition"]).toMatch(/attachment/);
    const lines = (await csv.text()).trimEnd().split("\n");
    expect(lines).toHaveLength(1 + 6);
    const jsonl = await page.request.get(`${server.url}${await page.getByRole("link", { name: "JSON Lines" }).getAttribute("href")}`);
    const events = (await jsonl.text()).trimEnd().split("\n").map((l) => JSON.parse(l));
    expect(events.map((e) => e.result)).toEqual(Array(6).fill("denied"));
    // Without the session cookie the export is refused.
    const anonymous = await fetch(`${server.url}${csvHref}`);
    expect(anonymous.status).toBe(401);
  });

  it("sets the retention period", async () => {
    await page.goto(auditUrl);
    await page.getByLabel("Keep events").selectOption("90");
    await page.getByRole("button", { name: "Save" }).click();
    await expect.poll(async () => (await db().workspace.findUniqueOrThrow({ where: { id: workspaceId } })).auditRetentionDays).toBe(90);
    await shot(page, "audit-retention");
  });

  it("tells a member that the log is for admins; phones can scroll the table", async () => {
    const u = await db().user.findUniqueOrThrow({ where: { email: "ada@example.com" } });
    await db().membership.update({ where: { workspaceId_userId: { workspaceId, userId: u.id } }, data: { role: "member" } });
    await page.goto(auditUrl);
    expect(await page.getByRole("heading", { name: "The audit log is for admins" }).isVisible()).toBe(true);
    const denied = await page.request.get(`${auditUrl}/export?format=csv`);
    expect(denied.status()).toBe(403);
    await db().membership.update({ where: { workspaceId_userId: { workspaceId, userId: u.id } }, data: { role: "owner" } });
    const phone = await (await browser.newContext({ viewport: PHONE, storageState: await page.context().storageState() })).newPage();
    await phone.goto(auditUrl);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    await shot(phone, "audit-phone");
    await phone.close();
  });
});
