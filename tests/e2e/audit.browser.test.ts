// The Audit page in a real browser against the production server: events of real changes,
// targets by name, the details drawer, role changes from → to, the action picker, filters as GET
// parameters (bad ones explained and kept), cursor pagination, no horizontal scroll at 1440 and
// 1280 px, the dashboard's streamed exports (session cookie), the retention setting, and what a
// member (no audit.read) sees.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserActor } from "../../lib/auth/actor";
import { db } from "../../lib/db/client";
import { updateMemberRole } from "../../lib/services/members";
import { createToken, deleteToken } from "../../lib/services/tokens";
import { meta } from "../helpers/fixtures";
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

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** Serious and critical axe-core violations inside `selector` (rule ids and the nodes' targets). */
async function axeViolations(p: Page, selector: string): Promise<string[]> {
  if (!(await p.evaluate(() => "axe" in window))) await p.addScriptTag({ content: AXE });
  return p.evaluate(async (sel) => {
    const axe = (window as unknown as { axe: { run: (ctx: string) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const { violations } = await axe.run(sel);
    return violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  }, selector);
}

/** Whether the page, and the table's container, fit their width (no horizontal scrolling). */
async function fits(p: Page): Promise<{ page: boolean; table: boolean }> {
  return p.evaluate(() => {
    const root = document.scrollingElement!;
    const box = document.querySelector("[data-testid=audit-table-container]")!;
    return { page: root.scrollWidth <= root.clientWidth, table: box.scrollWidth <= box.clientWidth };
  });
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
  await page.waitForURL(/\/w\/[a-z0-9]+$/);
  workspaceId = new URL(page.url()).pathname.split("/")[2]!;
  auditUrl = `${server.url}/w/${workspaceId}/audit`;
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe.runIf(RUN)("the Audit page", () => {
  it("LOG-02: shows real changes with who, what, target, result, address and request id; filters narrow them", async () => {
    // A change made in the browser (rename, on Settings: sign-in lands on the Overview), and many older events to page through.
    await page.goto(`${server.url}/w/${workspaceId}/settings`);
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

    await page.getByLabel("Action").selectOption("token.");
    await page.getByLabel("Result").selectOption("denied");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL(/action=token\.&.*result=denied/);
    expect(await rows.count()).toBe(6);
    expect(await rows.filter({ hasNotText: "denied" }).count()).toBe(0);
    await shot(page, "audit-filtered");

    // A bad filter is a message on the page, not an error page: it says what is expected, and the
    // value typed stays in its field to be corrected.
    await page.goto(`${auditUrl}?from=not-a-date`);
    expect(await page.getByRole("alert").filter({ hasText: "from: use a date like 2026-12-01" }).isVisible()).toBe(true);
    expect(await page.getByLabel("From (UTC)").inputValue()).toBe("not-a-date");
    await page.getByLabel("To (UTC)").fill("31/12/2026");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL(/to=31%2F12%2F2026/);
    expect(await page.getByLabel("To (UTC)").inputValue()).toBe("31/12/2026");
    expect(await page.getByLabel("To (UTC)").getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("#f-to-error").textContent()).toBe("Use a date like 2026-12-31");
    expect(await page.getByRole("alert").filter({ hasText: "These filters were not applied" }).textContent()).toContain("to: use a date like 2026-12-31, or a date and time like 2026-12-31T18:00:00Z");
    await shot(page, "audit-bad-filter");
  });

  it("names targets (id on hover and to copy), reads role changes from → to, and shows an event's details", async () => {
    const ada = await db().user.findUniqueOrThrow({ where: { email: "ada@example.com" } });
    const actor: UserActor = { type: "user", userId: ada.id, email: ada.email, isPlatformAdmin: false, sessionId: null, reauthAt: new Date(), meta: meta({ requestId: "req-audit-drawer-1", userAgent: "audit-test/1" }) };
    const bob = await db().user.create({ data: { email: "bob@example.com", name: "Bob", emailVerifiedAt: new Date() } });
    await db().membership.create({ data: { workspaceId, userId: bob.id, role: "member" } });
    await updateMemberRole(actor, workspaceId, bob.id, { role: "admin" });
    const kept = await createToken(actor, workspaceId, { name: "ci-deploy" });
    const gone = await createToken(actor, workspaceId, { name: "old-laptop" });
    await deleteToken(actor, workspaceId, gone.id);

    await page.goto(auditUrl);
    const rows = page.getByTestId("audit-row");
    const role = rows.filter({ hasText: "member.role.update" });
    expect(await role.getByTestId("audit-change").textContent()).toBe("bob@example.com: member → admin");
    expect(await role.getByTestId("audit-target").textContent()).toBe("bob@example.com");
    const created = rows.filter({ hasText: "token.create" }).filter({ hasText: "ci-deploy" });
    expect(await created.getByTestId("audit-target").getAttribute("title")).toBe(`token ${kept.id}`);
    expect(await created.getByRole("button", { name: "Copy token id" }).isVisible()).toBe(true);
    expect(await rows.filter({ hasText: "token.delete" }).getByTestId("audit-target").textContent()).toBe("old-laptop (deleted)");
    expect(await rows.filter({ hasText: "workspace.update" }).getByTestId("audit-target").textContent()).toBe("Audited Lab");
    // No raw ids stand in for names.
    expect(await page.getByTestId("audit-target").filter({ hasText: kept.id }).count()).toBe(0);

    await role.getByRole("button", { name: /^Details/ }).click();
    const drawer = page.getByTestId("audit-details");
    await drawer.waitFor();
    expect(await drawer.getByRole("heading", { name: "Role changed" }).isVisible()).toBe(true);
    const metadata = drawer.getByTestId("audit-metadata");
    for (const [k, v] of [["email", "bob@example.com"], ["from", "member"], ["to", "admin"]]) {
      expect(await metadata.locator("div").filter({ has: page.locator("dt", { hasText: new RegExp(`^${k}$`) }) }).locator("dd").textContent()).toBe(v);
    }
    expect(await drawer.getByText("req-audit-drawer-1").isVisible()).toBe(true);
    expect(await drawer.getByText("audit-test/1").isVisible()).toBe(true);
    expect(await drawer.getByText(`user ${bob.id}`).isVisible()).toBe(true);
    expect(await axeViolations(page, "[data-testid=audit-details]")).toEqual([]);
    await shot(page, "audit-details");
    await page.keyboard.press("Escape");
    await drawer.waitFor({ state: "detached" });

    // The action picker is the event catalogue; the choice is a GET parameter.
    await page.getByLabel("Action").selectOption("member.role.update");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL(/action=member\.role\.update/);
    expect(await rows.count()).toBe(1);
    expect(await page.getByLabel("Action").inputValue()).toBe("member.role.update");
  });

  it("has no horizontal scroll at 1440 and 1280 px, and no axe violation in the log", async () => {
    await page.goto(auditUrl);
    for (const width of [1440, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      await page.getByTestId("audit-table").waitFor();
      expect(await fits(page), `${width} px`).toEqual({ page: true, table: true });
      await shot(page, `audit-${width}`);
    }
    expect(await axeViolations(page, "main")).toEqual([]);
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

  it("tells a member that the log is for admins; on phones the events are cards that fit", async () => {
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
    expect(await fits(phone)).toEqual({ page: true, table: true });
    expect(await axeViolations(phone, "main")).toEqual([]);
    await shot(phone, "audit-phone");
    await phone.getByTestId("audit-row").first().getByRole("button", { name: /^Details/ }).click();
    await phone.getByTestId("audit-details").waitFor();
    expect(await phone.evaluate(() => document.querySelector("[data-testid=audit-details]")!.getBoundingClientRect().width <= window.innerWidth)).toBe(true);
    expect(await axeViolations(phone, "[data-testid=audit-details]")).toEqual([]);
    if (SHOTS) await phone.screenshot({ path: path.join(SHOTS, "audit-phone-details.png") });
    await phone.close();
  });
});
