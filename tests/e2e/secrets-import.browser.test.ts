// The Secrets page's ergonomics in a real browser against the production server (logging at
// trace): import a pasted .env file with a preview (new / replaced / skipped / invalid), fix it, then
// apply; the format warning shows in the form before saving; the Edit dialog makes a private secret
// public; search and filters keep their state in the URL. No value ever appears in the page's HTML
// (at every step) or in the server's log.
import { randomUUID } from "node:crypto";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/db/client";
import { CHROMIUM, hasChromium, launchBrowser, PHONE, signUpThroughForm } from "../helpers/browser";
import { startFileServer, type RunningServer } from "../helpers/server";

const SHOTS = process.env.TESSERA_SCREENSHOTS;
const RUN = hasChromium() || Boolean(process.env.CI);
if (!RUN) console.warn(`Browser tests skipped: ${CHROMIUM} not found (apt-get install chromium)`);
const PASSWORD = "correct horse battery staple";
const WIDE = { width: 1440, height: 900 };
/** Values that must never come back: each a unique canary. */
const V = {
  hf: `hf_${randomUUID().replace(/-/g, "")}`,
  db: `CANARY-db-${randomUUID()}`,
  existing: `CANARY-old-${randomUUID()}`,
  next: `CANARY-next-${randomUUID()}`,
  bad: `CANARY-bad-${randomUUID()}`,
};

let server: RunningServer;
let browser: Browser;
let page: Page;
let workspaceId: string;
const html: string[] = [];

async function shot(p: Page, name: string) {
  if (SHOTS) await p.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}
/** Records the page's HTML (checked for values at the end) and takes the screenshot. */
async function snap(name: string) {
  html.push(await page.content());
  await shot(page, name);
}

beforeAll(async () => {
  if (!RUN) return;
  server = await startFileServer("import", { TESSERA_AUTO_ACTIVATE: "true", TESSERA_LOG_LEVEL: "trace" });
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: WIDE })).newPage();
  await signUpThroughForm(page, server.url, { name: "Ida Import", email: "ida@example.com", password: PASSWORD });
  await page.waitForURL(/\/w\/[a-z0-9]+$/);
  workspaceId = new URL(page.url()).pathname.split("/")[2]!;
  // One secret exists already (public), made through the service as the API would.
  const { createSecret } = await import("../../lib/services/secrets");
  const user = await db().user.findUniqueOrThrow({ where: { email: "ida@example.com" } });
  const owner = { type: "user" as const, userId: user.id, email: user.email, isPlatformAdmin: false, sessionId: null, meta: { requestId: "e2e-test", ip: null, userAgent: null } };
  await createSecret(owner, workspaceId, { name: "EXISTING", value: V.existing, visibility: "public" });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const row = (name: string) => page.getByTestId("secret-row").and(page.locator(`[data-name="${name}"]`));
const statuses = () => page.getByTestId("import-line").evaluateAll((els) => els.map((e) => [e.getAttribute("data-name"), e.getAttribute("data-status")]));

describe.runIf(RUN)("the Secrets page: .env import, format warning, edit, search", () => {
  it("imports a pasted .env: the preview classifies every line, invalid lines block the import, a fixed file imports", async () => {
    await page.goto(`${server.url}/w/${workspaceId}/secrets`);
    await page.getByRole("button", { name: "Import .env" }).click();
    const dialog = page.getByRole("dialog", { name: "Import secrets from a .env file" });
    const broken = [`# staging`, `HF_TOKEN=${V.hf}`, `export DB_PASSWORD="${V.db}"`, `EXISTING=${V.next}`, `not a line ${V.bad}`, `_BAD=${V.bad}`, ""].join("\n");
    await dialog.getByLabel("Paste the file").fill(broken);
    await snap("import-pasted");
    await dialog.getByRole("button", { name: "Preview" }).click();
    await expect.poll(() => dialog.getByTestId("import-counts").textContent()).toBe("2 new · 0 replaced · 1 skipped · 2 invalid");
    expect(await statuses()).toEqual([
      ["HF_TOKEN", "new"],
      ["DB_PASSWORD", "new"],
      ["EXISTING", "skipped"],
      ["", "invalid"],
      ["_BAD", "invalid"],
    ]);
    expect(await dialog.getByRole("button", { name: /^Import \d+ secrets?$/ }).isDisabled()).toBe(true);
    expect(await dialog.getByText("Fix or remove the invalid lines").isVisible()).toBe(true);
    await snap("import-preview-invalid");

    // Fixed, with replace: the preview goes stale on any change, and the new one imports.
    await dialog.getByLabel("Paste the file").fill([`HF_TOKEN=${V.hf}`, `export DB_PASSWORD="${V.db}"`, `EXISTING=${V.next}`].join("\n"));
    expect(await dialog.getByTestId("import-preview").count()).toBe(0);
    await dialog.getByLabel("Replace the values of secrets that exist").check();
    await dialog.getByRole("button", { name: "Preview" }).click();
    await expect.poll(() => dialog.getByTestId("import-counts").textContent()).toBe("2 new · 1 replaced · 0 skipped · 0 invalid");
    await snap("import-preview");
    await dialog.getByRole("button", { name: "Import 3 secrets" }).click();
    await row("HF_TOKEN").waitFor();
    await row("DB_PASSWORD").waitFor();
    await expect.poll(() => row("EXISTING").textContent()).toMatch(/version 2/);
    expect(await row("HF_TOKEN").textContent()).toMatch(/Hugging Face token · HF_TOKEN/);
    await snap("import-done");
    const names = (await db().secret.findMany({ where: { workspaceId }, orderBy: { name: "asc" } })).map((s) => [s.name, s.visibility, s.currentVersion]);
    expect(names).toEqual([
      ["DB_PASSWORD", "private", 1],
      ["EXISTING", "public", 2],
      ["HF_TOKEN", "private", 1],
    ]);
  });

  it("shows the preset's format warning in the form as the value is typed, before saving", async () => {
    await page.getByRole("button", { name: "New secret" }).click();
    const dialog = page.getByRole("dialog", { name: "New secret" });
    await dialog.getByLabel("Kind").selectOption("huggingface");
    const check = dialog.getByTestId("format-check");
    expect(await check.textContent()).toBe("");
    await dialog.getByLabel("Value").fill("not-a-hugging-face-token");
    await expect.poll(() => check.textContent()).toMatch(/does not look like a Hugging Face token \(hf_…\): check it before saving/);
    await dialog.getByLabel("Value").fill(V.hf);
    await expect.poll(() => check.textContent()).toBe("");
    await dialog.getByLabel("Value").fill("hf_with a space");
    await expect.poll(() => check.textContent()).toMatch(/must not contain spaces/);
    await snap("create-format-warning");
    await dialog.getByRole("button", { name: "Cancel" }).click();
  });

  it("edits a private secret: public, a new variable name and an expiry, through the Edit dialog", async () => {
    await row("DB_PASSWORD").getByRole("button", { name: "Edit DB_PASSWORD" }).click();
    const dialog = page.getByRole("dialog", { name: "Edit DB_PASSWORD" });
    await dialog.getByLabel(/^Public/).check();
    await dialog.getByLabel("Environment variable").fill("DATABASE_PASSWORD");
    await dialog.getByLabel(/Expires/).fill("2099-01-31");
    await snap("edit-dialog");
    await dialog.getByRole("button", { name: "Save changes" }).click();
    await expect.poll(() => row("DB_PASSWORD").textContent()).toMatch(/public.*DATABASE_PASSWORD.*expires 2099-01-31/s);
    const s = await db().secret.findFirstOrThrow({ where: { workspaceId, name: "DB_PASSWORD" } });
    expect([s.visibility, s.envName, s.expiresAt?.toISOString()]).toEqual(["public", "DATABASE_PASSWORD", "2099-01-31T00:00:00.000Z"]);
  });

  it("searches and filters, with the state in the URL (reload and back keep it), and says when nothing matches", async () => {
    const visible = () => page.getByTestId("secret-row").evaluateAll((els) => els.filter((e) => !(e as HTMLElement).hidden).map((e) => e.getAttribute("data-name")));
    const search = page.getByRole("searchbox", { name: "Search secrets" });
    await search.fill("hug");
    await expect.poll(visible).toEqual(["HF_TOKEN"]);
    await expect.poll(() => new URL(page.url()).searchParams.get("q")).toBe("hug");
    expect(await page.getByTestId("list-count").textContent()).toBe("1 of 3 secrets");
    await search.fill("");
    await page.getByLabel("Visibility").selectOption("public");
    await expect.poll(visible).toEqual(["DB_PASSWORD", "EXISTING"]);
    await snap("search-filter");
    // Reload: the filter comes back from the URL.
    await page.reload();
    await expect.poll(visible).toEqual(["DB_PASSWORD", "EXISTING"]);
    expect(await page.getByLabel("Visibility").inputValue()).toBe("public");
    // Back: the filter choice was a history entry.
    await page.goBack();
    await expect.poll(visible).toEqual(["DB_PASSWORD", "EXISTING", "HF_TOKEN"]);
    await search.fill("nothing-like-this");
    await expect.poll(() => page.getByTestId("list-no-results").textContent()).toMatch(/No results for “nothing-like-this”/);
    await snap("search-empty");
    await page.getByRole("button", { name: "Clear search" }).click();
    await expect.poll(visible).toEqual(["DB_PASSWORD", "EXISTING", "HF_TOKEN"]);
    expect(new URL(page.url()).search).toBe("");

    // The other list pages carry the same search.
    for (const [p, noun] of [
      ["tokens", "tokens"],
      ["members", "members"],
    ] as const) {
      await page.goto(`${server.url}/w/${workspaceId}/${p}?q=zzz-none`);
      if (p === "tokens" && (await page.getByText("No tokens yet").count())) continue;
      await expect.poll(() => page.getByTestId("list-no-results").textContent()).toMatch(/No results for “zzz-none”/);
      expect(await page.getByRole("searchbox", { name: `Search ${noun}` }).inputValue()).toBe("zzz-none");
      await snap(`${p}-search-empty`);
    }
  });

  it("SEC-12: never shows a value: not in any page's HTML, at any step, nor in the server's log (trace level)", async () => {
    const phone = await (await browser.newContext({ viewport: PHONE, storageState: await page.context().storageState() })).newPage();
    await phone.goto(`${server.url}/w/${workspaceId}/secrets`);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    await shot(phone, "secrets-phone");
    await phone.getByRole("button", { name: "Import .env" }).click();
    await shot(phone, "import-phone");
    html.push(await phone.content());
    await phone.close();
    const all = html.join("\n");
    expect(all).toContain("HF_TOKEN");
    for (const value of Object.values(V)) {
      expect(all).not.toContain(value);
      expect(server.output()).not.toContain(value);
    }
  });
});
