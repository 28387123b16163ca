// The API reference page (/docs/api) in a real browser against the production server: reached from
// the dashboard's navigation, it renders the OpenAPI document (Swagger UI, bundled with the app),
// shows an operation with its details, and breaks no rule of the Content-Security-Policy: no
// violation event, no console error, no request to another origin (no CDN, no remote font).
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { operations as declared, type Operation } from "../../lib/contract";
import { CHROMIUM, hasChromium, launchBrowser, newContext, signInAfterSignUp } from "../helpers/browser";
import { startFileServer, type RunningServer } from "../helpers/server";

const SHOTS = process.env.TESSERA_SCREENSHOTS;
const RUN = hasChromium() || Boolean(process.env.CI);
if (!RUN) console.warn(`Browser tests skipped: ${CHROMIUM} not found (apt-get install chromium)`);
const PASSWORD = "correct horse battery staple";

const operations: readonly Operation[] = declared;
// The operation to look for: creating a token, or any operation should that one be renamed.
const wanted = operations.find((o) => o.id === "tokens.create") ?? operations[0]!;

let server: RunningServer;
let browser: Browser;
let page: Page;
const problems: string[] = [];
const foreign: string[] = [];

async function shot(p: Page, name: string) {
  if (SHOTS) await p.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: false });
}

beforeAll(async () => {
  if (!RUN) return;
  server = await startFileServer("api-reference");
  browser = await launchBrowser();
  page = await (await newContext(browser)).newPage();
  // Every CSP violation (also those that only reach the event, such as a refused eval), every
  // console error and uncaught exception, and every request that leaves the server's origin.
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "(inline)"} in ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`uncaught: ${e.message}`));
  page.on("request", (r) => {
    if (new URL(r.url()).origin !== new URL(server.url).origin && !r.url().startsWith("data:")) foreign.push(r.url());
  });
  await page.goto(`${server.url}/signup`);
  await page.getByLabel("Name").fill("Ada Reader");
  await page.getByLabel("Work email").fill("ada@example.com");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await signInAfterSignUp(page, "ada@example.com", PASSWORD);
  await page.waitForURL(/\/w\/[a-z0-9]+$/);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** The reference has rendered the document: the operation's block, with its summary and path. */
async function expectOperation(p: Page) {
  const reference = p.getByTestId("api-reference");
  const summary = reference.getByText(wanted.summary, { exact: true });
  await summary.waitFor(); // the context's default timeout is the hang guard (tests/helpers/browser.ts)
  const block = reference.locator(".opblock").filter({ has: p.getByText(wanted.summary, { exact: true }) }).first();
  expect(await block.locator(".opblock-summary-path").getAttribute("data-path")).toBe(wanted.path);
  return { summary, block };
}

describe.runIf(RUN)("the API reference page", () => {
  it("is linked from the dashboard's navigation and renders the OpenAPI document, without breaking the CSP", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API reference" }).click();
    await page.waitForURL(/\/docs\/api$/);
    expect(await page.getByRole("heading", { name: "API reference", level: 1 }).isVisible()).toBe(true);
    const { summary, block } = await expectOperation(page);
    await shot(page, "api-reference");

    // Opening the operation shows its details: the description, parameters and responses.
    await summary.click();
    await block.getByText("Responses", { exact: true }).first().waitFor();
    expect(await block.getByText(wanted.id, { exact: true }).count()).toBeGreaterThan(0);
    await shot(page, "api-reference-operation");

    expect(problems).toEqual([]);
    expect(foreign).toEqual([]);
  });

  it("renders on a direct load too (the bundle comes from the app's own chunks, the document from /api/v1/openapi.json)", async () => {
    const seen: string[] = [];
    const onRequest = (r: { url(): string }) => seen.push(new URL(r.url()).pathname);
    page.on("request", onRequest);
    await page.goto(`${server.url}/docs/api`);
    await expectOperation(page);
    page.off("request", onRequest);
    expect(seen).toContain("/api/v1/openapi.json");
    expect(seen.filter((p) => p.includes("node_modules"))).toEqual([]);
    expect(problems).toEqual([]);
    expect(foreign).toEqual([]);
  });
});
