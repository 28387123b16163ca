// `tessera login --web` end to end: the CLI helper (lib/cli/device.ts, over the SDK, really polling
// the production server) and a person in a real browser (Debian's Chromium) on /device. Approve
// (signed out first: sign in and come back with the code), deny, an expired code, a used code, a
// wrong code. The server shares this test file's database, so the test ages a code in its row
// (never by sleeping), and it logs at info, so that its output can be searched for the codes.
import { spawn } from "node:child_process";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { credentialHashKeys, hmacHex } from "../../lib/auth/keys";
import { normaliseUserCode } from "../../lib/auth/device-code";
import { loginWithBrowser, type DeviceCodeInfo } from "../../lib/cli/device";
import { db } from "../../lib/db/client";
import { Tessera, type TesseraError } from "../../lib/sdk";
import { cliCommand, isolatedEnv, runCli } from "../helpers/cli";
import { CHROMIUM, hasChromium, launchBrowser, newContext, PHONE, signInAfterSignUp } from "../helpers/browser";
import { startFileServer, type RunningServer } from "../helpers/server";

const SHOTS = process.env.TESSERA_SCREENSHOTS; // a folder: save screenshots there to look at them
const RUN = hasChromium() || Boolean(process.env.CI);
if (!RUN) console.warn(`Browser tests skipped: ${CHROMIUM} not found (apt-get install chromium)`);
const PASSWORD = "correct horse battery staple";
const EMAIL = "ada@example.com";

let server: RunningServer;
let browser: Browser;
let signedIn: BrowserContext;
let page: Page;
let workspaceId: string;
/** Every code and token value seen, to search the server's output for at the end. */
const seen: string[] = [];

async function shot(p: Page, name: string) {
  if (SHOTS) await p.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

const client = () => new Tessera({ baseUrl: server.url });

/** Starts loginWithBrowser (really polling, at the server's 1-second interval) and hands over the code when it is shown. */
function startLogin(machineName: string, workspace?: string) {
  let shown!: (info: DeviceCodeInfo) => void;
  const code = new Promise<DeviceCodeInfo>((r) => (shown = r));
  const result = loginWithBrowser({
    client: client(),
    machineName,
    workspaceId: workspace,
    onCode: (info) => {
      seen.push(info.userCode, info.userCode.replace("-", ""));
      shown(info);
    },
  });
  // Read by the test; never an unhandled rejection meanwhile.
  result.catch(() => undefined);
  return { code, result };
}

async function rowOf(userCode: string) {
  const hash = hmacHex(credentialHashKeys("device")[0]!.key, normaliseUserCode(userCode)!);
  return db().deviceAuthorization.findUniqueOrThrow({ where: { userCodeHash: hash } });
}

/** Types a code on /device (keyboard only) and continues. */
async function enterCode(p: Page, userCode: string) {
  await p.goto(`${server.url}/device`);
  const field = p.getByLabel("Code", { exact: true });
  await field.waitFor();
  expect(await p.evaluate(() => document.activeElement?.id)).toBe("device-code");
  await p.keyboard.type(userCode.toLowerCase());
  await p.keyboard.press("Enter");
}

const focusedText = (p: Page) => p.evaluate(() => document.activeElement?.textContent ?? "");

beforeAll(async () => {
  if (!RUN) return;
  server = await startFileServer("device", { TESSERA_AUTO_ACTIVATE: "true", TESSERA_DEVICE_POLL_INTERVAL: "1", TESSERA_LOG_LEVEL: "info" });
  browser = await launchBrowser();
  signedIn = await newContext(browser);
  page = await signedIn.newPage();
  await page.goto(`${server.url}/signup`);
  await page.getByLabel("Name").fill("Ada");
  await page.getByLabel("Work email").fill(EMAIL);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await signInAfterSignUp(page, EMAIL, PASSWORD);
  await page.waitForURL(/\/w\/[a-z0-9]+$/);
  workspaceId = new URL(page.url()).pathname.split("/")[2]!;
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe.runIf(RUN)("tessera login --web in the browser", () => {
  let usedCode: string;

  it("approve: signed out, the link leads through sign-in back to the code; the CLI gets a working token named after the machine", async () => {
    const login = startLogin("e2e-laptop", workspaceId);
    const info = await login.code;
    expect(info.verificationUriComplete).toBe(`${server.url}/device?code=${info.userCode}`);

    // A browser where nobody is signed in: sign in first, then back to the page with the code.
    const fresh = await (await newContext(browser)).newPage();
    await fresh.goto(info.verificationUriComplete);
    await fresh.waitForURL(/\/login\?callbackUrl=/);
    expect(decodeURIComponent(new URL(fresh.url()).searchParams.get("callbackUrl")!)).toBe(`/device?code=${info.userCode}`);
    await fresh.getByLabel("Email", { exact: true }).fill(EMAIL);
    await fresh.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await fresh.getByRole("button", { name: "Sign in", exact: true }).click();
    await fresh.waitForURL(/\/device\?code=/);
    const field = fresh.getByLabel("Code", { exact: true });
    expect(await field.inputValue()).toBe(info.userCode);
    await shot(fresh, "device-enter");
    await fresh.getByRole("button", { name: "Continue" }).click();

    const confirm = fresh.getByTestId("device-confirm");
    await confirm.waitFor();
    expect(await focusedText(fresh)).toBe("Sign in on e2e-laptop?");
    expect(await confirm.getByTestId("device-user-code").textContent()).toBe(info.userCode);
    const text = (await confirm.textContent())!;
    expect(text).toContain("e2e-laptop");
    // The code came from the link: the page asks to compare it with the terminal. Same address: no address warning.
    expect(await confirm.getByTestId("device-prefilled").textContent()).toContain("Check that this code is the one your terminal shows");
    expect(await confirm.getByTestId("device-other-address").count()).toBe(0);
    expect(text).toContain((await db().workspace.findUniqueOrThrow({ where: { id: workspaceId } })).name);
    expect(await fresh.getByLabel("Token expires after").inputValue()).toBe("7");
    await shot(fresh, "device-confirm");
    await fresh.getByLabel("Token expires after").selectOption("1");
    await fresh.getByRole("button", { name: "Approve" }).click();
    await fresh.getByTestId("device-done").waitFor();
    expect(await focusedText(fresh)).toBe("Device approved");
    await shot(fresh, "device-approved");

    const token = await login.result;
    seen.push(token.token);
    expect(token).toMatchObject({ name: "CLI on e2e-laptop", kind: "user", workspaceId, scopes: ["full"] });
    expect(Math.abs(token.expiresAt.getTime() - (Date.now() + 24 * 60 * 60 * 1000))).toBeLessThan(120_000);
    const me = await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${token.token}` } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { token: { name: string } }).token.name).toBe("CLI on e2e-laptop");
    usedCode = info.userCode;
    await fresh.context().close();
  });

  it("the CLI itself: tessera login --web shows the code and the page's address, waits, keeps the approved token in the profile; a denied request exits 3", async () => {
    const env = isolatedEnv({ TESSERA_URL: server.url });
    const [cmd, ...pre] = cliCommand();
    const child = spawn(cmd!, [...pre, "login", "--web", "--name", "cli-box", "--workspace", workspaceId], { env: env as NodeJS.ProcessEnv });
    let stderr = "";
    let stdout = "";
    child.stdout.on("data", (d) => (stdout += d));
    // As gh does: the page's plain address and the code, which the person types (a link with the
    // code in it would make a phishing link one click shorter).
    const shown = new Promise<{ url: string; userCode: string }>((resolve) =>
      child.stderr.on("data", (d) => {
        stderr += d;
        const code = /one-time code: ([A-Z]{4}-[A-Z]{4})/.exec(stderr);
        const url = /open (http\S+\/device) in a browser/.exec(stderr);
        if (code && url) resolve({ url: url[1]!, userCode: code[1]! });
      }),
    );
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    const { url, userCode } = await shown;
    seen.push(userCode);
    expect(url).toBe(`${server.url}/device`);
    await enterCode(page, userCode);
    await page.getByTestId("device-confirm").waitFor();
    expect((await page.getByTestId("device-confirm").textContent())!).toContain("cli-box");
    await page.getByRole("button", { name: "Approve" }).click();
    await page.getByTestId("device-done").waitFor();
    expect(await exited, stderr).toBe(0);
    expect(stderr).toContain("Logged in");
    const who = await runCli(["whoami", "--json"], { env });
    expect(who.code).toBe(0);
    expect(JSON.parse(who.stdout)).toMatchObject({ token: { name: "CLI on cli-box", kind: "user" }, workspace: { id: workspaceId } });
    // The profile holds the token (mode 0600); nothing printed it.
    const { readFileSync, statSync } = await import("node:fs");
    const saved = JSON.parse(readFileSync(env.TESSERA_CONFIG!, "utf8")) as { profiles: { default: { token: string } } };
    seen.push(saved.profiles.default.token);
    expect(statSync(env.TESSERA_CONFIG!).mode & 0o777).toBe(0o600);
    expect(stdout + stderr + who.stdout + who.stderr).not.toContain(saved.profiles.default.token);
    // logout cancels the token it made.
    expect((await runCli(["logout"], { env })).code).toBe(0);
    const me = await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${saved.profiles.default.token}` } });
    expect(me.status).toBe(401);

    // Denied in the browser: the CLI says so and exits 3, keeping no token.
    const env2 = isolatedEnv({ TESSERA_URL: server.url });
    const denied = spawn(cmd!, [...pre, "login", "--web", "--name", "cli-deny", "--workspace", workspaceId], { env: env2 as NodeJS.ProcessEnv });
    let err2 = "";
    const code2 = new Promise<string>((resolve) =>
      denied.stderr.on("data", (d) => {
        err2 += d;
        const m = /one-time code: ([A-Z]{4}-[A-Z]{4})/.exec(err2);
        if (m) resolve(m[1]!);
      }),
    );
    const exited2 = new Promise<number | null>((resolve) => denied.on("close", resolve));
    const userCode2 = await code2;
    seen.push(userCode2);
    await enterCode(page, userCode2);
    await page.getByRole("button", { name: "Deny" }).click();
    await page.getByTestId("device-done").waitFor();
    expect(await exited2, err2).toBe(3);
    expect(err2).toMatch(/denied/i);
    expect((await runCli(["whoami"], { env: env2 })).code).toBe(3);
  });

  it("a used code cannot be approved again, and its device code gets no second token", async () => {
    await enterCode(page, usedCode);
    const notice = page.getByTestId("device-notice");
    await notice.waitFor();
    expect(await focusedText(page)).toBe("This code was already used");
    await shot(page, "device-used");
    // Over the API: started, approved here, collected once; the second poll is EXPIRED_TOKEN.
    const started = await client().device.start({ machineName: "reuse-box", workspaceId });
    seen.push(started.deviceCode, started.userCode);
    await enterCode(page, started.userCode);
    await page.getByRole("button", { name: "Approve" }).click();
    await page.getByTestId("device-done").waitFor();
    const first = await client().device.poll({ deviceCode: started.deviceCode });
    seen.push(first.token);
    expect(first.name).toBe("CLI on reuse-box");
    // As if the interval had passed (the row is this test's database too).
    await db().deviceAuthorization.update({ where: { id: (await rowOf(started.userCode)).id }, data: { lastPolledAt: new Date(Date.now() - 60_000) } });
    const again = await client().device.poll({ deviceCode: started.deviceCode }).catch((e: TesseraError) => e);
    expect(again).toMatchObject({ name: "TesseraError", code: "EXPIRED_TOKEN", status: 400 });
    expect(await db().token.count({ where: { name: "CLI on reuse-box" } })).toBe(1);
  });

  it("deny, with the keyboard: the CLI is told ACCESS_DENIED and gets nothing", async () => {
    const login = startLogin("mallory-box");
    const info = await login.code;
    await enterCode(page, info.userCode);
    await page.getByTestId("device-confirm").waitFor();
    // Typed, not from a link: no prefilled notice.
    expect(await page.getByTestId("device-prefilled").count()).toBe(0);
    // No workspace was asked for: the person would choose one.
    expect(await page.getByLabel("Workspace").inputValue()).toBe(workspaceId);
    await page.getByRole("button", { name: "Deny" }).focus();
    await page.keyboard.press("Enter");
    await page.getByTestId("device-done").waitFor();
    expect(await focusedText(page)).toBe("Request denied");
    await shot(page, "device-denied");
    await expect(login.result).rejects.toMatchObject({ name: "TesseraError", code: "ACCESS_DENIED" });
    expect(await db().token.count({ where: { name: "CLI on mallory-box" } })).toBe(0);
  });

  it("a request from another network address: the page warns prominently, with both addresses", async () => {
    const login = startLogin("far-box", workspaceId);
    const info = await login.code;
    // As if the CLI had started elsewhere (the row is this test's database too).
    await db().deviceAuthorization.update({ where: { id: (await rowOf(info.userCode)).id }, data: { requestIp: "203.0.113.77" } });
    await enterCode(page, info.userCode);
    const warning = page.getByTestId("device-other-address");
    await warning.waitFor();
    const said = (await warning.textContent())!;
    expect(said).toContain("This request came from another network address (203.0.113.77) than yours (");
    expect(said).toMatch(/than yours \((127\.0\.0\.1|::1)\)/);
    expect(said).toContain("Approve only if you started it yourself, in your own terminal.");
    expect(await warning.getAttribute("role")).toBe("alert");
    // The usual warning stays.
    expect((await page.getByTestId("device-confirm").textContent())!).toContain("Approve only if you started tessera login --web yourself");
    await shot(page, "device-other-address");
    await page.getByRole("button", { name: "Deny" }).click();
    await page.getByTestId("device-done").waitFor();
    await expect(login.result).rejects.toMatchObject({ name: "TesseraError", code: "ACCESS_DENIED" });
  });

  it("an expired code: the page says so and offers nothing to approve; the CLI is told EXPIRED_TOKEN", async () => {
    const login = startLogin("slow-box", workspaceId);
    const info = await login.code;
    await db().deviceAuthorization.update({ where: { id: (await rowOf(info.userCode)).id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await enterCode(page, info.userCode);
    await page.getByTestId("device-notice").waitFor();
    expect(await focusedText(page)).toBe("This code has expired");
    expect(await page.getByRole("button", { name: "Approve" }).count()).toBe(0);
    await shot(page, "device-expired");
    await expect(login.result).rejects.toMatchObject({ name: "TesseraError", code: "EXPIRED_TOKEN" });
  });

  it("a wrong code gets a clear message in place, and the field keeps the focus; the page works at phone width", async () => {
    const phone = await (await newContext(browser, PHONE)).newPage();
    // The same session: copy the signed-in cookies into the phone-sized context.
    await phone.context().addCookies(await signedIn.cookies());
    await enterCode(phone, "BBBB-BBBB");
    const error = phone.getByRole("alert").filter({ hasText: "This code is not valid" });
    await error.waitFor();
    expect(await phone.evaluate(() => document.activeElement?.id)).toBe("device-code");
    expect(await phone.getByLabel("Code", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    await shot(phone, "device-wrong-code-phone");
    await phone.context().close();
  });

  it("never writes a code or a token value to the server's log", () => {
    const out = server.output();
    expect(out.length).toBeGreaterThan(0);
    for (const value of seen) expect(out.includes(value), "a code or token in the server output").toBe(false);
  });
});
