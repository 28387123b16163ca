// Sign-in, SSO, activation and the shell in a real browser (Debian's Chromium) against the
// production server, with a real OIDC identity provider (oidc-provider) for SSO.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, hasChromium, launchBrowser, newContext, PHONE, signInAfterSignUp } from "../helpers/browser";
import { startIdp, type TestIdp } from "../helpers/idp";
import { serverActionIds } from "../../lib/launcher/route-methods.mjs";
import { freePort, ROOT, startServer, type RunningServer } from "../helpers/server";
import { postSignIn } from "../helpers/sign-in";

const SHOTS = process.env.TESSERA_SCREENSHOTS;
// CI installs Chromium (.ci/run) and must run these tests; elsewhere they are skipped, loudly, without it.
const RUN = hasChromium() || Boolean(process.env.CI);
if (!RUN) console.warn(`Browser tests skipped: ${CHROMIUM} not found (apt-get install chromium)`); // a folder: save screenshots there to look at them
const PASSWORD = "correct horse battery staple";

let server: RunningServer;
let idp: TestIdp;
let browser: Browser;

async function shot(page: Page, name: string) {
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  if (!RUN) return;
  const [appPort, idpPort] = [await freePort(), await freePort()];
  const appUrl = `http://localhost:${appPort}`;
  idp = await startIdp(idpPort, `${appUrl}/api/auth/callback/oidc`);
  const dir = mkdtempSync(path.join(tmpdir(), "tessera-browser-"));
  server = await startServer(
    {
      DATABASE_URL: `file:${dir}/tessera.db`,
      TESSERA_DATA_DIR: dir,
      TESSERA_PUBLIC_URL: appUrl,
      TESSERA_OIDC_ISSUER: idp.issuer,
      TESSERA_OIDC_CLIENT_ID: idp.clientId,
      TESSERA_OIDC_CLIENT_SECRET: idp.clientSecret,
      TESSERA_OIDC_LABEL: "Acme SSO",
      TESSERA_LOG_LEVEL: "warn",
    },
    240_000,
    appPort,
  );
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await idp?.close();
});

async function signUp(page: Page, name: string, email: string) {
  await page.goto(`${server.url}/signup`);
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await signInAfterSignUp(page, email, PASSWORD);
  await page.waitForURL(/\/w\/[a-z0-9]+$/);
}

async function signIn(page: Page, email: string, password: string) {
  await page.goto(`${server.url}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

async function ssoSignIn(page: Page, login: string) {
  await page.goto(`${server.url}/login`);
  await page.getByRole("button", { name: "Continue with Acme SSO" }).click();
  await page.waitForURL(new RegExp(`^${idp.issuer}/interaction/`));
  await page.locator("input[name=login]").fill(login);
  await page.locator("input[name=password]").fill("anything");
  await page.locator("button[type=submit]").click();
  // The development consent page.
  await page.locator("button[type=submit]").click();
}

describe.runIf(RUN)("sign-in and the dashboard shell", () => {
  it("SES-01 SES-04: password sign-up makes a personal workspace with its activation banner; sign-in rejects a wrong password", async () => {
    const page = await (await newContext(browser)).newPage();
    await signUp(page, "Ada Admin", "admin@example.com"); // the first account: a platform admin
    // Sign-up lands on the workspace's Overview.
    await expect.poll(() => page.getByRole("heading", { name: "Overview", level: 1 }).isVisible()).toBe(true);
    expect(await page.getByTestId("activation-banner").textContent()).toContain("not active yet");
    await page.goto(`${page.url()}/settings`);
    expect(await page.getByLabel("Name").inputValue()).toBe("Ada Admin's workspace");
    expect(await page.getByRole("link", { name: "Admin" }).isVisible()).toBe(true);
    await shot(page, "settings-desktop");

    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === "__Host-tessera.session");
    expect(session).toMatchObject({ httpOnly: true, secure: true, sameSite: "Lax", path: "/" });

    // Sign out (the old cookie stops working at once), then a wrong password gets a message that
    // does not say whether the account exists.
    await page.getByRole("button", { name: "Account menu" }).last().click();
    await page.getByRole("menuitem", { name: "Sign out", exact: true }).click();
    await page.waitForURL(/\/login/);
    const replay = await fetch(`${server.url}/new`, { headers: { cookie: `${session!.name}=${session!.value}` }, redirect: "manual" });
    expect(replay.status).toBe(307);
    expect(replay.headers.get("location")).toMatch(/\/login$/);
    await signIn(page, "admin@example.com", "wrong password here");
    await expect.poll(() => page.locator("form").getByRole("alert").textContent()).toBe("Email or password is incorrect.");
    await signIn(page, "nobody@example.com", "wrong password here");
    await expect.poll(() => page.locator("form").getByRole("alert").textContent()).toBe("Email or password is incorrect.");
    await shot(page, "login-error");
    await signIn(page, "admin@example.com", PASSWORD);
    await page.waitForURL(/\/w\/[a-z0-9]+$/);
  });

  it("SSO sign-in through a real OIDC provider ends in the new personal workspace with its banner", async () => {
    const page = await (await newContext(browser)).newPage();
    await ssoSignIn(page, "grace");
    await page.waitForURL(new RegExp(`^${server.url}/w/[a-z0-9]+$`));
    await page.goto(`${page.url()}/settings`);
    expect(await page.getByLabel("Name").inputValue()).toBe("Grace's workspace");
    expect(await page.getByTestId("activation-banner").isVisible()).toBe(true);
    expect(await page.getByRole("link", { name: "Admin" }).count()).toBe(0);
    const phone = await (await newContext(browser, PHONE)).newPage();
    await phone.context().addCookies(await page.context().cookies());
    await phone.goto(page.url());
    await shot(phone, "settings-phone");
  });

  it("an admin approves a workspace, after which the banner disappears", async () => {
    const grace = await (await newContext(browser)).newPage();
    await ssoSignIn(grace, "grace");
    await grace.waitForURL(/\/w\/[a-z0-9]+$/);
    await grace.getByRole("button", { name: "Apply for access" }).click();
    await grace.getByLabel("Organisation").fill("Grace Labs");
    await grace.getByLabel("Use case").fill("Serving speech models for our call centre");
    await shot(grace, "apply-dialog");
    await grace.getByRole("button", { name: "Send request" }).click();
    // The Overview re-renders after the request (its lists and counts): wait for the banner's new text (an event).
    await grace.getByTestId("activation-banner").filter({ hasText: "waiting for review" }).waitFor();
    const workspaceUrl = grace.url();

    const admin = await (await newContext(browser)).newPage();
    await signIn(admin, "admin@example.com", PASSWORD);
    await admin.waitForURL(/\/w\/[a-z0-9]+$/);
    await admin.goto(`${server.url}/admin`);
    const row = admin.locator("li", { hasText: "Grace's workspace" });
    expect(await row.textContent()).toContain("Grace Labs");
    await shot(admin, "admin");
    await row.getByRole("button", { name: "Approve" }).click();
    await expect.poll(() => admin.getByText("No requests waiting").isVisible()).toBe(true);

    await grace.goto(workspaceUrl);
    expect(await grace.getByTestId("activation-banner").count()).toBe(0);
    expect(await grace.getByText("active", { exact: true }).isVisible()).toBe(true);
  });

  it("renders every page at desktop and phone width", async () => {
    for (const viewport of [undefined, PHONE]) {
      const page = await (await newContext(browser, viewport)).newPage();
      const suffix = viewport ? "phone" : "desktop";
      await page.goto(`${server.url}/signup`);
      await shot(page, `signup-${suffix}`);
      await page.goto(`${server.url}/auth-error?error=AccessDenied`);
      expect(await page.getByRole("alert").first().textContent()).toContain("Access was denied");
      await shot(page, `auth-error-${suffix}`);
      await signIn(page, "admin@example.com", PASSWORD);
      await page.waitForURL(/\/w\/[a-z0-9]+$/);
      const base = page.url();
      for (const [path, heading] of [
        ["settings", "General"],
        ["members", "Members"],
        ["tokens", "Tokens"],
        ["secrets", "Secrets"],
        ["workloads", "Workloads"],
        ["audit", "Audit"],
      ]) {
        await page.goto(`${base}/${path}`);
        expect(await page.getByRole("heading", { name: heading, level: 1 }).isVisible(), path).toBe(true);
        await shot(page, `${path}-${suffix}`);
      }
      await page.goto(`${server.url}/new`);
      expect(await page.getByRole("heading", { name: "Create a workspace" }).isVisible()).toBe(true);
      await shot(page, `new-${suffix}`);
      await page.goto(`${server.url}/admin?status=all`);
      expect(await page.getByRole("heading", { name: "Admin" }).isVisible()).toBe(true);
      await shot(page, `admin-${suffix}`);
    }
  });

  it("creates, switches to and deletes a workspace (typing its name)", async () => {
    const page = await (await newContext(browser)).newPage();
    await signIn(page, "admin@example.com", PASSWORD);
    await page.waitForURL(/\/w\/[a-z0-9]+$/);
    const first = page.url();
    await page.goto(`${server.url}/new`);
    await page.getByLabel("Workspace name").fill("Scratch space");
    await page.getByRole("button", { name: "Create workspace" }).click();
    // A new workspace opens on its Overview.
    await page.waitForURL((u) => /^\/w\/[a-z0-9]+$/.test(u.pathname) && u.href !== first);
    await page.goto(`${page.url()}/settings`);
    await expect.poll(() => page.getByLabel("Name").inputValue()).toBe("Scratch space");
    await page.getByRole("button", { name: "Switch workspace" }).first().click();
    expect(await page.getByRole("menuitem", { name: /Ada Admin's workspace/ }).isVisible()).toBe(true);
    await page.keyboard.press("Escape");
    await page.getByRole("button", { name: "Delete workspace" }).click();
    const confirm = page.getByRole("alertdialog");
    const button = confirm.getByRole("button", { name: "Delete workspace" });
    expect(await button.isDisabled()).toBe(true);
    await confirm.getByLabel(/Type/).fill("Scratch");
    expect(await button.isDisabled()).toBe(true);
    await confirm.getByLabel(/Type/).fill("Scratch space");
    await shot(page, "delete-confirm");
    // The page is already a settings page: wait for the navigation away from this one (an event),
    // not for the poll's default second (too short for the redirect on a loaded machine).
    const deletedUrl = page.url();
    await button.click();
    await page.waitForURL((u) => u.href !== deletedUrl && /^\/w\/[a-z0-9]+$/.test(u.pathname));
    await page.goto(`${page.url()}/settings`);
    await expect.poll(() => page.getByLabel("Name").inputValue()).not.toBe("Scratch space");
  });

  it("an error from the identity provider gets a clear page on our own origin", async () => {
    const page = await (await newContext(browser)).newPage();
    await page.goto(`${server.url}/login`);
    await page.getByRole("button", { name: "Continue with Acme SSO" }).click();
    await page.waitForURL(new RegExp(`^${idp.issuer}/interaction/`));
    await page.locator('a[href$="/abort"]').click();
    await page.waitForURL(new RegExp(`^${server.url}/`));
    expect(new URL(page.url()).origin).toBe(server.url);
    // NextAuth sends OAuth callback errors to the sign-in page (?error=OAuthCallback).
    await expect
      .poll(() => page.locator("form").getByRole("alert").textContent())
      .toMatch(/Sign-in could not be completed|identity provider returned an error/);
    expect(await page.getByRole("button", { name: "Continue with Acme SSO" }).isVisible()).toBe(true);
    await shot(page, "sso-error");
  });

  it("never redirects off-site, and a forged cookie is just signed out", async () => {
    const page = await (await newContext(browser)).newPage();
    await page.goto(`${server.url}/login?callbackUrl=${encodeURIComponent("https://evil.example/steal")}`);
    await page.getByLabel("Email").fill("admin@example.com");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL((u) => u.origin === server.url && !u.pathname.startsWith("/login"));
    expect(new URL(page.url()).origin).toBe(server.url);

    for (const callback of ["//evil.example", "/\\evil.example", "javascript:alert(1)"]) {
      const res = await fetch(`${server.url}/api/auth/signin/credentials?callbackUrl=${encodeURIComponent(callback)}`, { redirect: "manual" });
      const location = res.headers.get("location");
      expect(location, callback).toBeTruthy();
      expect(new URL(location!, server.url).origin).toBe(server.url);
    }

    for (const value of ["eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0.forged.forged.forged.forged", "garbage", "a".repeat(4000)]) {
      const res = await fetch(`${server.url}/new`, { headers: { cookie: `__Host-tessera.session=${value}` }, redirect: "manual" });
      expect(res.status).toBe(307);
      expect(res.headers.get("location")).toMatch(/\/login$/);
    }
  });

  it("SES-04: sign out everywhere ends the other sessions on their next request", async () => {
    const a = await (await newContext(browser)).newPage();
    const b = await (await newContext(browser)).newPage();
    await signIn(a, "admin@example.com", PASSWORD);
    await signIn(b, "admin@example.com", PASSWORD);
    await a.waitForURL(/\/w\/[a-z0-9]+$/);
    await b.waitForURL(/\/w\/[a-z0-9]+$/);
    await a.getByRole("button", { name: "Account menu" }).last().click();
    await a.getByRole("menuitem", { name: "Sign out everywhere" }).click();
    await a.getByRole("button", { name: "Sign out everywhere" }).click();
    await a.waitForURL(/\/login/);
    await b.reload();
    await b.waitForURL(/\/login/);
  });
});

describe.runIf(RUN)("HTTP hardening", () => {
  it("HDR-01: sets security headers on every response", async () => {
    for (const p of ["/login", "/api/health", "/api/v1/workspaces"]) {
      const res = await fetch(`${server.url}${p}`);
      expect(res.headers.get("content-security-policy"), p).toContain("frame-ancestors 'none'");
      expect(res.headers.get("strict-transport-security"), p).toMatch(/max-age=\d+/);
      expect(res.headers.get("x-content-type-options"), p).toBe("nosniff");
      expect(res.headers.get("referrer-policy"), p).toBe("strict-origin-when-cross-origin");
    }
  });

  it("CSRF-01 CSRF-02 CSRF-03 CSRF-06: refuses cookie-authenticated writes from foreign or null origins", async () => {
    // A real action id of this build: a malformed or unknown one is refused even earlier (400, tests/e2e/http-edge.test.ts).
    const actionId = [...serverActionIds(path.join(ROOT, ".next"))][0]!;
    for (const origin of ["https://evil.example", "null"]) {
      const res = await fetch(`${server.url}/api/auth/signout`, { method: "POST", headers: { origin, "content-type": "application/x-www-form-urlencoded" }, body: "" });
      expect(res.status, origin).toBe(403);
      const action = await fetch(`${server.url}/new`, { method: "POST", headers: { origin, "next-action": actionId }, body: "[]" });
      expect(action.status, origin).toBe(403);
    }
    // A spoofed Host / X-Forwarded-Host does not make a foreign Origin ours (CSRF-06)...
    const spoofed = { origin: "http://evil.test", "x-forwarded-host": "evil.test", "x-forwarded-proto": "http" };
    expect((await fetch(`${server.url}/api/auth/signout`, { method: "POST", headers: { ...spoofed, "content-type": "application/x-www-form-urlencoded" }, body: "" })).status).toBe(403);
    expect((await fetch(`${server.url}/new`, { method: "POST", headers: { ...spoofed, "next-action": actionId }, body: "[]" })).status).toBe(403);
    // ...and a write that carries cookies but no Origin needs Sec-Fetch-Site: same-origin (CSRF-03).
    const cookieOnly = { cookie: "__Host-tessera.session=x", "content-type": "application/x-www-form-urlencoded" };
    expect((await fetch(`${server.url}/api/auth/signout`, { method: "POST", headers: cookieOnly, body: "" })).status).toBe(403);
    expect((await fetch(`${server.url}/api/auth/signout`, { method: "POST", headers: { ...cookieOnly, "sec-fetch-site": "cross-site" }, body: "" })).status).toBe(403);
  });

  it("answers odd requests to /api/auth with clear 4xx errors", async () => {
    const json = await fetch(`${server.url}/api/auth/callback/credentials`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: server.url },
      body: "{broken",
    });
    expect(json.status).toBe(415);
    expect((await json.json()).error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    const encoded = await fetch(`${server.url}/api/auth/callback/%63redentials`, {
      method: "POST",
      headers: { "content-type": "text/plain", origin: server.url },
      body: "x",
    });
    expect(encoded.status).toBe(415);
  });

  it("RL-01: refuses repeated failed sign-ins with 429 and Retry-After, per account", async () => {
    const email = `victim-${Date.now()}@example.com`;
    // A forged X-Forwarded-For per attempt does not dodge the limits: the socket address counts.
    const attempt = () => postSignIn(server.url, email, "wrong-password-123", { "x-forwarded-for": `10.0.0.${Math.floor(Math.random() * 250)}` });
    for (let i = 0; i < 10; i++) expect((await attempt()).status).not.toBe(429);
    const limited = await attempt();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await limited.json()).error.code).toBe("RATE_LIMITED");
  });
});
