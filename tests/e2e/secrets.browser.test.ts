// Secrets and workloads in a real browser against the production server (logging at trace): create
// a secret through the preset picker, check and replace its value, bind it in a workload, fetch the
// resolved environment with a workload token over HTTP, delete with confirmation; the canary value
// never appears in any page's HTML, the server's log or the database file.
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/db/client";
import { CHROMIUM, hasChromium, launchBrowser, newContext, PHONE, signInAfterSignUp } from "../helpers/browser";
import { freePort, startServer, type RunningServer } from "../helpers/server";

const SHOTS = process.env.TESSERA_SCREENSHOTS;
const RUN = hasChromium() || Boolean(process.env.CI);
if (!RUN) console.warn(`Browser tests skipped: ${CHROMIUM} not found (apt-get install chromium)`);
const PASSWORD = "correct horse battery staple";
const CANARY = `CANARY-${randomUUID()}`;
const HF = `hf_${"Q".repeat(34)}`;

let server: RunningServer;
let browser: Browser;
let page: Page;
let workspaceId: string;
const html: string[] = [];

async function shot(p: Page, name: string) {
  if (SHOTS) await p.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}
async function visit(url: string) {
  await page.goto(url);
  html.push(await page.content());
}

beforeAll(async () => {
  if (!RUN) return;
  const port = await freePort();
  server = await startServer(
    {
      DATABASE_URL: process.env.DATABASE_URL!,
      TESSERA_AUTH_SECRET: process.env.TESSERA_AUTH_SECRET!,
      TESSERA_MASTER_KEY: process.env.TESSERA_MASTER_KEY!,
      TESSERA_DATA_DIR: mkdtempSync(path.join(tmpdir(), "tessera-secrets-")),
      TESSERA_PUBLIC_URL: `http://localhost:${port}`,
      TESSERA_AUTO_ACTIVATE: "true",
      TESSERA_LOG_LEVEL: "trace",
    },
    240_000,
    port,
  );
  browser = await launchBrowser();
  page = await (await newContext(browser)).newPage();
  await page.goto(`${server.url}/signup`);
  await page.getByLabel("Name").fill("Sam Secrets");
  await page.getByLabel("Work email").fill("sam@example.com");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await signInAfterSignUp(page, "sam@example.com", PASSWORD);
  await page.waitForURL(/\/w\/[a-z0-9]+$/);
  workspaceId = new URL(page.url()).pathname.split("/")[2]!;
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const row = (name: string) => page.getByTestId("secret-row").and(page.locator(`[data-name="${name}"]`));

describe.runIf(RUN)("secrets and workloads in the browser", () => {
  it("creates secrets with the preset picker; a bad value is refused next to its field", async () => {
    await visit(`${server.url}/w/${workspaceId}/secrets`);
    await expect.poll(() => page.getByText("No secrets yet").isVisible()).toBe(true);
    await page.getByRole("button", { name: "New secret" }).click();
    const dialog = page.getByRole("dialog", { name: "New secret" });
    await dialog.getByLabel("Kind").selectOption("ssh-public-key");
    await expect.poll(() => dialog.getByLabel("Environment variable").inputValue()).toBe("SSH_PUBLIC_KEY");
    await dialog.getByLabel("Name").fill("deploy-key");
    await dialog.getByLabel("Value").fill("-----BEGIN OPENSSH PRIVATE KEY-----");
    await dialog.getByRole("button", { name: "Save secret" }).click();
    await expect.poll(() => dialog.getByRole("alert").first().textContent()).toMatch(/private key/);

    await dialog.getByLabel("Kind").selectOption("huggingface");
    await expect.poll(() => dialog.getByLabel("Environment variable").inputValue()).toBe("HF_TOKEN");
    await dialog.getByLabel("Name").fill("hf-token");
    await dialog.getByLabel("Value").fill(HF);
    await shot(page, "secrets-create");
    await dialog.getByRole("button", { name: "Save secret" }).click();
    await row("hf-token").waitFor();

    await page.getByRole("button", { name: "New secret" }).click();
    await dialog.getByLabel("Name").fill("canary");
    await dialog.getByLabel("Value").fill(CANARY);
    await dialog.getByLabel(/Public/).check();
    await dialog.getByRole("button", { name: "Save secret" }).click();
    await row("canary").waitFor();
    await expect.poll(() => row("canary").getByText("public").isVisible()).toBe(true);
    html.push(await page.content());
    await shot(page, "secrets-list");
  });

  it("checks a value, replaces it (version 2) and renames (row actions are labelled in text)", async () => {
    await row("canary").getByRole("button", { name: "Check value canary" }).click();
    const check = page.getByRole("dialog", { name: "Check a value against canary" });
    await check.getByLabel("Value").fill("wrong");
    await check.getByRole("button", { name: "Check" }).click();
    await expect.poll(() => check.getByRole("status").textContent()).toBe("Does not match the stored value.");
    await check.getByLabel("Value").fill(CANARY);
    await check.getByRole("button", { name: "Check" }).click();
    await expect.poll(() => check.getByRole("status").textContent()).toBe("Matches the stored value.");
    html.push(await page.content());
    await check.getByRole("button", { name: "Done" }).click();

    await row("canary").getByRole("button", { name: "Replace value canary" }).click();
    const replace = page.getByRole("dialog", { name: "Replace the value of canary" });
    await replace.getByLabel("Value").fill(`${CANARY}-v2`);
    await replace.getByRole("button", { name: "Replace value" }).click();
    await expect.poll(() => row("canary").textContent()).toMatch(/version 2/);

    await row("hf-token").getByRole("button", { name: "Edit hf-token" }).click();
    const rename = page.getByRole("dialog", { name: "Edit hf-token" });
    await rename.getByLabel("Name").fill("hf-read");
    await rename.getByRole("button", { name: "Save changes" }).click();
    await row("hf-read").waitFor();
  });

  it("binds secrets in a workload; the bound workload token gets the values, people never do", async () => {
    await visit(`${server.url}/w/${workspaceId}/workloads`);
    await page.getByRole("button", { name: "New workload" }).click();
    const dialog = page.getByRole("dialog", { name: "New workload" });
    await dialog.getByLabel("Name").fill("llama-serve");
    await dialog.getByRole("button", { name: "Add variable" }).click();
    await dialog.getByLabel("Variable 1 name").fill("CANARY");
    await dialog.getByLabel("Variable 1 secret").selectOption({ label: "canary (public)" });
    await dialog.getByRole("button", { name: "Add variable" }).click();
    await dialog.getByLabel("Variable 2 name").fill("MODE");
    await dialog.getByLabel("Variable 2 source").selectOption("value");
    await dialog.getByLabel("Variable 2 value").fill("prod");
    await shot(page, "workloads-create");
    await dialog.getByRole("button", { name: "Create workload" }).click();
    const card = page.getByTestId("workload-card").and(page.locator('[data-name="llama-serve"]'));
    await card.waitFor();
    await expect.poll(() => card.getByText("secret canary").isVisible()).toBe(true);
    html.push(await page.content());

    // A workload token for it (made as the Tokens page would), then the run-time call over HTTP.
    const { createToken } = await import("../../lib/services/tokens");
    const user = await db().user.findUniqueOrThrow({ where: { email: "sam@example.com" } });
    const workload = await db().workload.findFirstOrThrow({ where: { workspaceId, name: "llama-serve" } });
    const owner = { type: "user" as const, userId: user.id, email: user.email, isPlatformAdmin: false, sessionId: null, meta: { requestId: "e2e-test", ip: null, userAgent: null } };
    const token = await createToken(owner, workspaceId, { kind: "workload", name: "serve", workloadId: workload.id });
    // SEC-14: the token exchanges itself for a short-lived credential, which alone opens the environment.
    const exchanged = await fetch(`${server.url}/api/v1/workspaces/${workspaceId}/workloads/${workload.id}/credentials`, { method: "POST", headers: { authorization: `Bearer ${token.value}` } });
    expect(exchanged.status).toBe(201);
    const { credential } = (await exchanged.json()) as { credential: string };
    const res = await fetch(`${server.url}/api/v1/workspaces/${workspaceId}/workloads/${workload.id}/env`, { headers: { authorization: `Bearer ${credential}` } });
    expect(res.status).toBe(200);
    expect((await res.json()).env).toEqual({ CANARY: `${CANARY}-v2`, MODE: "prod" });
    const user2 = await createToken(owner, workspaceId, { kind: "user", name: "mine" });
    const denied = await fetch(`${server.url}/api/v1/workspaces/${workspaceId}/workloads/${workload.id}/env`, { headers: { authorization: `Bearer ${user2.value}` } });
    expect(denied.status).toBe(403);
    await visit(`${server.url}/w/${workspaceId}/workloads`);
    await expect.poll(() => card.getByText("serve").first().isVisible()).toBe(true);
    // How to run it: the tessera run command with this server's address, the workspace and the workload, and copy buttons.
    await expect.poll(() => card.getByTestId("workload-run").textContent()).toBe(
      `TESSERA_URL=${server.url} tessera run --workspace ${workspaceId} --workload llama-serve -- python train.py`,
    );
    await expect.poll(() => card.getByRole("button", { name: "Copy the run command of llama-serve" }).isVisible()).toBe(true);
    await shot(page, "workloads-list");

    // Deleting a bound secret is refused with the reason; the workload keeps it.
    await visit(`${server.url}/w/${workspaceId}/secrets`);
    await row("canary").getByRole("button", { name: "Delete canary" }).click();
    const confirm = page.getByRole("alertdialog", { name: "Delete canary?" });
    await confirm.getByLabel(/Type/).fill("canary");
    await confirm.getByRole("button", { name: "Delete secret" }).click();
    await expect.poll(() => page.getByText(/Workloads use this secret \(llama-serve\)/).count()).toBe(1);
    await page.keyboard.press("Escape");

    // Deleting the workload (typed confirmation) cancels its token.
    await visit(`${server.url}/w/${workspaceId}/workloads`);
    await card.getByRole("button", { name: "Delete llama-serve" }).click();
    const del = page.getByRole("alertdialog", { name: "Delete llama-serve?" });
    await del.getByLabel(/Type/).fill("llama-serve");
    await del.getByRole("button", { name: "Delete workload" }).click();
    await card.waitFor({ state: "detached" });
    expect((await fetch(`${server.url}/api/v1/workspaces/${workspaceId}/workloads/${workload.id}/env`, { headers: { authorization: `Bearer ${credential}` } })).status).toBe(401);
    expect((await fetch(`${server.url}/api/v1/workspaces/${workspaceId}/workloads/${workload.id}/credentials`, { method: "POST", headers: { authorization: `Bearer ${token.value}` } })).status).toBe(401);
  });

  it("SEC-06 SEC-12 NX-06: never shows the value: not in any page, the server's log (trace level) or the database file", async () => {
    const phone = await (await browser.newContext({ viewport: PHONE, storageState: await page.context().storageState() })).newPage();
    await phone.goto(`${server.url}/w/${workspaceId}/secrets`);
    await expect.poll(() => phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    html.push(await phone.content());
    await shot(phone, "secrets-phone");
    await phone.close();
    const all = html.join("\n");
    expect(all).toContain("canary");
    expect(all).not.toContain(CANARY);
    expect(all).not.toContain(HF);
    // The log did record the secret and the resolution (at debug), by id and name only.
    expect(server.output()).toContain('"msg":"secret created"');
    expect(server.output()).toContain('"msg":"workload environment resolved"');
    expect(server.output()).not.toContain(CANARY);
    expect(server.output()).not.toContain(HF);
    const file = process.env.DATABASE_URL!.replace(/^file:/, "");
    for (const f of [file, `${file}-wal`]) if (existsSync(f)) expect(readFileSync(f).includes(Buffer.from(CANARY)), f).toBe(false);
  });
});
