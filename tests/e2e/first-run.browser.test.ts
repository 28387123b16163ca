// The first run of a new install, as its first user walks it (real browser, production server):
// sign up (the first account is a platform admin), approve the workspace from the banner in one
// click, land on the Overview, follow its checklist to a working API call and see the step tick.
// Then the Admin link's count of waiting requests, the Admin page's search and its note when the
// address in use is not TESSERA_PUBLIC_URL, and a member who is not shown the Audit link.
// The server shares this file's database, so the test can add users and requests directly.
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/db/client";
import { CHROMIUM, hasChromium, launchBrowser, newContext, PHONE, signUpThroughForm } from "../helpers/browser";
import { startFileServer, type RunningServer } from "../helpers/server";

const SHOTS = process.env.TESSERA_SCREENSHOTS; // a folder: save screenshots there to look at them
const RUN = hasChromium() || Boolean(process.env.CI);
if (!RUN) console.warn(`Browser tests skipped: ${CHROMIUM} not found (apt-get install chromium)`);
const PASSWORD = "correct horse battery staple";
const WIDE = { width: 1440, height: 900 };

let server: RunningServer;
let browser: Browser;
let page: Page;
let workspaceId: string;
let overviewUrl: string;

async function shot(p: Page, name: string) {
  if (SHOTS) await p.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

const signUp = (p: Page, name: string, email: string) => signUpThroughForm(p, server.url, { name, email, password: PASSWORD });

const step = (id: string) => page.getByTestId(`step-${id}`);

beforeAll(async () => {
  if (!RUN) return;
  server = await startFileServer("first-run");
  browser = await launchBrowser();
  page = await (await newContext(browser, WIDE)).newPage();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe.runIf(RUN)("first run", () => {
  it("a new admin signs up, approves their workspace from the banner, lands on the Overview and follows the checklist to a working API call", async () => {
    expect(await db().user.count()).toBe(0);
    await signUp(page, "Ada Admin", "ada@example.com");
    // The landing page is the Overview of the new workspace.
    await page.waitForURL(/\/w\/[a-z0-9]+$/);
    workspaceId = new URL(page.url()).pathname.split("/")[2]!;
    overviewUrl = `${server.url}/w/${workspaceId}`;
    await page.getByRole("heading", { name: "Overview", level: 1 }).waitFor();
    expect(await page.getByRole("navigation", { name: "Main" }).getByRole("link").first().textContent()).toBe("Overview");
    expect(await page.getByRole("link", { name: "Overview" }).getAttribute("aria-current")).toBe("page");

    // The first account is a platform admin: the banner offers "Approve now" instead of a request to itself.
    const banner = page.getByTestId("activation-banner");
    expect(await banner.textContent()).toContain("you can approve it yourself");
    expect(await banner.getByRole("button", { name: "Apply for access" }).count()).toBe(0);
    await shot(page, "first-run-banner-desktop");
    await banner.getByRole("button", { name: "Approve now" }).click();
    await banner.waitFor({ state: "detached" });
    await expect.poll(() => page.getByTestId("overview-activation").textContent()).toMatch(/^Active/);
    // Audited as any approval: the request, then the approval, both by the admin.
    const ada = await db().user.findUniqueOrThrow({ where: { email: "ada@example.com" } });
    const events = await db().auditEvent.findMany({ where: { workspaceId, action: { startsWith: "workspace.activation." } }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
    expect(events.map((e) => [e.action, e.result, e.actorId])).toEqual([
      ["workspace.activation.request", "success", ada.id],
      ["workspace.activation.approve", "success", ada.id],
    ]);

    // The checklist: nothing done yet; the first step leads to the Tokens page.
    const checklist = page.getByTestId("checklist");
    await checklist.waitFor();
    for (const id of ["token", "call", "secret", "bind", "run"]) expect(await step(id).getAttribute("data-done"), id).toBe("false");
    await shot(page, "first-run-overview-desktop");
    await step("token").getByRole("link", { name: "Create a token" }).click();
    await page.waitForURL(`${overviewUrl}/tokens`);
    await page.getByRole("button", { name: "Create token" }).click();
    const dialog = page.getByRole("dialog", { name: "Create token" });
    await dialog.getByLabel("Name").fill("laptop");
    await dialog.getByRole("button", { name: "Create token" }).click();
    const reveal = page.getByRole("dialog", { name: "Copy your new token" });
    await reveal.waitFor();
    const value = (await reveal.getByTestId("token-value").textContent())!;
    await reveal.getByRole("button", { name: "Done" }).click();
    await reveal.waitFor({ state: "detached" });

    // Back on the Overview: the token step is done, the next shows the exact command, with this address.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Overview" }).click();
    await page.waitForURL(overviewUrl);
    await expect.poll(() => step("token").getAttribute("data-done")).toBe("true");
    expect(await step("call").getAttribute("data-done")).toBe("false");
    const command = (await page.getByTestId("step-call-command").textContent())!;
    expect(command).toBe(`curl -H "Authorization: Bearer $TESSERA_TOKEN" ${server.url}/api/v1/workspaces/${workspaceId}`);
    expect(await page.content()).not.toContain(value);

    // Run it (as curl would, with the token in TESSERA_TOKEN), then the step ticks.
    const url = command.split(" ").at(-1)!;
    const res = await fetch(url, { headers: { authorization: `Bearer ${value}` } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { id: string }).id).toBe(workspaceId);
    await page.reload();
    await expect.poll(() => step("call").getAttribute("data-done")).toBe("true");
    expect(await step("secret").getAttribute("data-done")).toBe("false");
    expect(await page.getByTestId("count-active-tokens").textContent()).toContain("1");
    await shot(page, "first-run-overview-call-done-desktop");
    const phone = await (await newContext(browser, PHONE)).newPage();
    await phone.context().addCookies(await page.context().cookies());
    await phone.goto(overviewUrl);
    await phone.getByTestId("checklist").waitFor();
    await shot(phone, "first-run-overview-phone");
    await phone.close();

    // Admins see the latest audit events, linked to the Audit page.
    const recent = page.getByTestId("recent-events");
    // By the event catalogue's label and the target's name (the action id on hover).
    expect(await recent.textContent()).toContain("Token created: laptop");
    expect(await recent.getByText("Token created").first().getAttribute("title")).toBe("token.create");
    expect(await page.getByRole("link", { name: "Open the audit log" }).getAttribute("href")).toBe(`/w/${workspaceId}/audit`);

    // Dismissed, the checklist stays hidden.
    await page.getByTestId("checklist").getByRole("button", { name: "Dismiss" }).click();
    await page.getByTestId("checklist").waitFor({ state: "detached" });
    await page.reload();
    await page.getByRole("heading", { name: "Overview", level: 1 }).waitFor();
    expect(await page.getByTestId("checklist").count()).toBe(0);
  });

  it("the Admin link counts the activation requests that wait, and the Admin page searches users", async () => {
    const nav = page.getByRole("navigation", { name: "Main" });
    await page.goto(overviewUrl);
    expect(await nav.getByRole("link", { name: "Admin", exact: true }).count()).toBe(1);
    // Two workspaces of other users apply.
    for (const who of ["bea", "cy"]) {
      const user = await db().user.create({ data: { email: `${who}@example.com`, name: who.toUpperCase(), emailVerifiedAt: new Date() } });
      await db().workspace.create({
        data: {
          name: `${who}'s lab`,
          status: "requested",
          activationOrg: `${who} Labs`,
          activationUseCase: "Serving models for our team",
          requestedAt: new Date(),
          createdById: user.id,
          memberships: { create: { userId: user.id, role: "owner" } },
        },
      });
    }
    await page.reload();
    const link = nav.getByRole("link", { name: "Admin 2 waiting", exact: true });
    await link.waitFor();
    await shot(page, "first-run-admin-badge-desktop");
    await link.click();
    await page.waitForURL(`${server.url}/admin`);
    await page.locator("li", { hasText: "bea's lab" }).getByRole("button", { name: "Approve" }).click();
    await nav.getByRole("link", { name: "Admin 1 waiting", exact: true }).waitFor();

    // Search (server-side): by a part of the email address or of the name.
    await page.getByRole("searchbox", { name: "Search users by email or name" }).fill("cy@");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/[?&]q=cy%40/);
    expect(await page.getByTestId("user-list").getByRole("listitem").allTextContents()).toEqual([expect.stringContaining("cy@example.com")]);
    await shot(page, "first-run-admin-search-desktop");
    await page.getByRole("searchbox", { name: "Search users by email or name" }).fill("nobody-here");
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByTestId("no-users").waitFor();

    // Opened at the public URL there is no note; at another address (127.0.0.1), the page says
    // that links use the public URL. (Rendered on the server from the request's Host.)
    expect(await page.getByTestId("public-url-mismatch").count()).toBe(0);
    const cookie = (await page.context().cookies()).find((c) => c.name === "__Host-tessera.session")!;
    const other = server.url.replace("localhost", "127.0.0.1");
    const html = await (await fetch(`${other}/admin`, { headers: { cookie: `${cookie.name}=${cookie.value}` } })).text();
    expect(html).toContain('data-testid="public-url-mismatch"');
    expect(html).toContain(other);
    expect(html).toContain("Invitation, password-reset and verification links use the public URL");
    const same = await (await fetch(`${server.url}/admin`, { headers: { cookie: `${cookie.name}=${cookie.value}` } })).text();
    expect(same).not.toContain('data-testid="public-url-mismatch"');
    if (SHOTS) {
      // To look at: the note at another address, at phone width (the same session cookie, for 127.0.0.1).
      const phone = await (await newContext(browser, PHONE)).newPage();
      await phone.setExtraHTTPHeaders({ cookie: `${cookie.name}=${cookie.value}` });
      await phone.goto(`${other}/admin`);
      await phone.getByTestId("public-url-mismatch").waitFor();
      await shot(phone, "first-run-admin-mismatch-phone");
      await phone.close();
    }
  });

  it("a member is not shown the Audit link (nor recent events), and the Audit page still refuses them", async () => {
    const mo = await (await newContext(browser, WIDE)).newPage();
    await signUp(mo, "Mo Member", "mo@example.com");
    await mo.waitForURL(/\/w\/[a-z0-9]+$/);
    const user = await db().user.findUniqueOrThrow({ where: { email: "mo@example.com" } });
    expect(user.isPlatformAdmin).toBe(false);
    await db().membership.create({ data: { workspaceId, userId: user.id, role: "member" } });
    await mo.goto(overviewUrl);
    await mo.getByRole("heading", { name: "Overview", level: 1 }).waitFor();
    const nav = mo.getByRole("navigation", { name: "Main" });
    expect(await nav.getByRole("link").allTextContents()).toEqual(["Overview", "General", "Members", "Tokens", "Secrets", "Workloads", "API reference"]);
    expect(await mo.getByTestId("recent-events").count()).toBe(0);
    expect(await mo.getByRole("link", { name: /^Admin/ }).count()).toBe(0);
    // A member's checklist has no "run" step (workload tokens need an admin).
    expect(await mo.getByTestId("step-run").count()).toBe(0);
    await shot(mo, "first-run-member-overview-desktop");
    await mo.goto(`${overviewUrl}/audit`);
    await mo.getByText("The audit log is for admins").waitFor();
  });
});
