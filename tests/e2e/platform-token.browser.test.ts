// The opt-in `platform` scope in the dashboard (real browser, production server): the create dialog
// offers "Platform administration (admin API)" only to a platform admin creating a user token; the
// token list shows the scope; the token so made reaches the admin API, a plain token of the same
// admin does not. The server shares this test file's SQLite database, so the test can make the
// user a platform admin (and demote them) as another instance would see it.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/db/client";
import { CHROMIUM, hasChromium, launchBrowser, newContext, signInAfterSignUp } from "../helpers/browser";
import { freePort, startServer, type RunningServer } from "../helpers/server";

const SHOTS = process.env.TESSERA_SCREENSHOTS; // a folder: save screenshots there to look at them
const RUN = hasChromium() || Boolean(process.env.CI);
if (!RUN) console.warn(`Browser tests skipped: ${CHROMIUM} not found (apt-get install chromium)`);
const PASSWORD = "correct horse battery staple";
const EMAIL = "root@example.com";
const CHECKBOX = "Platform administration (admin API)";

let server: RunningServer;
let browser: Browser;
let page: Page;
let tokensUrl: string;

async function shot(p: Page, name: string) {
  if (SHOTS) await p.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

const row = (name: string): Locator => page.getByTestId("token-row").filter({ has: page.getByText(name, { exact: true }) });
const adminUsers = (value: string) => fetch(`${server.url}/api/v1/admin/users`, { headers: { authorization: `Bearer ${value}` } });

/** Opens the dialog, names the token, ticks the platform box if asked, and returns the revealed value. */
async function create(name: string, platform: boolean): Promise<string> {
  await page.getByRole("button", { name: "Create token" }).click();
  const dialog = page.getByRole("dialog", { name: "Create token" });
  await dialog.getByLabel("Name").fill(name);
  if (platform) await dialog.getByRole("checkbox", { name: new RegExp(CHECKBOX.replace(/[()]/g, "\\$&")) }).check();
  if (platform) await shot(page, "platform-token-dialog");
  await dialog.getByRole("button", { name: "Create token" }).click();
  const reveal = page.getByRole("dialog", { name: "Copy your new token" });
  await reveal.waitFor();
  const value = (await reveal.getByTestId("token-value").textContent())!;
  await reveal.getByRole("button", { name: "Done" }).click();
  await reveal.waitFor({ state: "detached" });
  await row(name).waitFor();
  return value;
}

beforeAll(async () => {
  if (!RUN) return;
  const port = await freePort();
  const appUrl = `http://localhost:${port}`;
  server = await startServer(
    {
      DATABASE_URL: process.env.DATABASE_URL!,
      TESSERA_AUTH_SECRET: process.env.TESSERA_AUTH_SECRET!,
      TESSERA_MASTER_KEY: process.env.TESSERA_MASTER_KEY!,
      TESSERA_DATA_DIR: mkdtempSync(path.join(tmpdir(), "tessera-platform-")),
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
  await page.getByLabel("Name").fill("Root Admin");
  await page.getByLabel("Work email").fill(EMAIL);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await signInAfterSignUp(page, EMAIL, PASSWORD);
  await page.waitForURL(/\/w\/[a-z0-9]+$/);
  const workspaceId = new URL(page.url()).pathname.split("/")[2]!;
  tokensUrl = `${server.url}/w/${workspaceId}/tokens`;
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe.runIf(RUN)("the platform scope on the Tokens page", () => {
  let platform: string;

  it("is offered to a platform admin for user tokens only; the list shows it; only that token reaches the admin API", async () => {
    // The first account is a platform admin.
    expect((await db().user.findUniqueOrThrow({ where: { email: EMAIL } })).isPlatformAdmin).toBe(true);
    await page.goto(tokensUrl);
    await page.getByRole("button", { name: "Create token" }).click();
    const dialog = page.getByRole("dialog", { name: "Create token" });
    expect(await dialog.getByText(CHECKBOX).isVisible()).toBe(true);
    expect(await dialog.getByText(/Lets this token call the admin API/).isVisible()).toBe(true);
    // Not for workspace or workload tokens.
    await dialog.getByRole("radio", { name: /Workspace token/ }).check();
    expect(await dialog.getByText(CHECKBOX).count()).toBe(0);
    await dialog.getByRole("radio", { name: /User token/ }).check();
    expect(await dialog.getByRole("checkbox").isChecked()).toBe(false);
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });

    platform = await create("admin CLI", true);
    const plain = await create("laptop", false);
    await shot(page, "platform-token-list");
    expect(await row("admin CLI").textContent()).toContain("Accessfull + platform administration");
    expect(await row("laptop").textContent()).toContain("Accessfull");
    expect(await row("laptop").getByTestId("token-platform").count()).toBe(0);
    expect((await adminUsers(platform)).status).toBe(200);
    const refused = await adminUsers(plain);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/platform scope/);
  });

  it("is not offered once the user is no longer a platform admin, and their platform token stops reaching the admin API", async () => {
    await db().user.update({ where: { email: EMAIL }, data: { isPlatformAdmin: false } });
    await page.goto(tokensUrl);
    await page.getByRole("button", { name: "Create token" }).click();
    const dialog = page.getByRole("dialog", { name: "Create token" });
    await dialog.getByLabel("Name").waitFor();
    expect(await dialog.getByText(CHECKBOX).count()).toBe(0);
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    // The list still says what the token carries; the admin API refuses it.
    expect(await row("admin CLI").textContent()).toContain("Accessfull + platform administration");
    expect((await adminUsers(platform)).status).toBe(403);
  });
});
