// Two instances on one PostgreSQL database: a session works on both, and "sign out everywhere"
// or ending a session from Account > Sessions on one ends it on the other at the next request.
// (Runs when TEST_POSTGRES_URL is set.)
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchBrowser, newContext, signInAfterSignUp } from "../helpers/browser";
import { startServer, type RunningServer } from "../helpers/server";

const BASE = process.env.TEST_POSTGRES_URL;
const RUN = Boolean(BASE) && (hasChromium() || Boolean(process.env.CI));
const schema = `inst_${process.pid}_${Date.now()}`;
const PASSWORD = "correct horse battery staple";
/** Waiting for the page after an action: generous, the machine running the tests may be busy. */
const POLL = { interval: 250 }; // the timeout is the hang guard (vitest.config.ts)
let a: RunningServer;
let b: RunningServer;
let browser: Browser;

beforeAll(async () => {
  if (!RUN) return;
  const c = new pg.Client({ connectionString: BASE });
  await c.connect();
  await c.query(`CREATE SCHEMA "${schema}"`);
  await c.end();
  const url = new URL(BASE!);
  url.searchParams.set("schema", schema);
  // Same keys on both instances, as the README asks.
  const shared = {
    DATABASE_URL: url.toString(),
    TESSERA_AUTH_SECRET: "instances-test-auth-secret-0123456789abcdef",
    TESSERA_MASTER_KEY: `1:${Buffer.alloc(32, 9).toString("base64")}`,
    TESSERA_LOG_LEVEL: "warn",
  };
  a = await startServer({ ...shared, TESSERA_DATA_DIR: mkdtempSync(path.join(tmpdir(), "inst-a-")) });
  b = await startServer({ ...shared, TESSERA_DATA_DIR: mkdtempSync(path.join(tmpdir(), "inst-b-")) });
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([a?.stop(), b?.stop()]);
  if (RUN) {
    const c = new pg.Client({ connectionString: BASE });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await c.end();
  }
});

describe.runIf(RUN)("several instances on one PostgreSQL database", () => {
  it("share sessions, and revocation on one reaches the other on the next request", async () => {
    const page = await (await newContext(browser)).newPage();
    await page.goto(`${a.url}/signup`);
    await page.getByLabel("Name").fill("Multi");
    await page.getByLabel("Work email").fill("multi@example.com");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await signInAfterSignUp(page, "multi@example.com", PASSWORD);
    await page.waitForURL(/\/w\/[a-z0-9]+$/);
    const settingsPath = new URL(page.url()).pathname;
    const cookie = (await page.context().cookies()).find((c) => c.name === "__Host-tessera.session")!;
    const header = { cookie: `${cookie.name}=${cookie.value}` };

    // Cookies are per host:port, so replay the same session cookie against instance B by hand.
    const onB = await fetch(`${b.url}${settingsPath}`, { headers: header, redirect: "manual" });
    expect(onB.status).toBe(200);

    // "Sign out everywhere" on A…
    await page.getByRole("button", { name: "Account menu" }).last().click();
    await page.getByRole("menuitem", { name: "Sign out everywhere" }).click();
    await page.getByRole("button", { name: "Sign out everywhere" }).click();
    await page.waitForURL(/\/login/);
    // …and B refuses the same cookie at once.
    const afterOnB = await fetch(`${b.url}${settingsPath}`, { headers: header, redirect: "manual" });
    expect(afterOnB.status).toBe(307);
    expect(afterOnB.headers.get("location")).toMatch(/\/login$/);
  });

  it("SES-06/SES-08: a session ended from the list on one instance is refused on the other at its next request", async () => {
    const onA = await (await newContext(browser)).newPage();
    await onA.goto(`${a.url}/signup`);
    await onA.getByLabel("Name").fill("Lists");
    await onA.getByLabel("Work email").fill("lists@example.com");
    await onA.getByLabel("Password").fill(PASSWORD);
    await onA.getByRole("button", { name: "Create account" }).click();
    await signInAfterSignUp(onA, "lists@example.com", PASSWORD);
    await onA.waitForURL(/\/w\/[a-z0-9]+$/);
    // A second browser signs in on instance B.
    const onB = await (await newContext(browser)).newPage();
    await onB.goto(`${b.url}/login`);
    await onB.getByLabel("Email", { exact: true }).fill("lists@example.com");
    await onB.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await onB.getByRole("button", { name: "Sign in", exact: true }).click();
    await onB.waitForURL(/\/w\//);
    const homeOnB = onB.url();
    // A lists both sessions (one database) and ends B's.
    await onA.goto(`${a.url}/account`);
    const rows = onA.getByTestId("session-row");
    await expect.poll(() => rows.count(), POLL).toBe(2);
    await onA.locator('[data-testid="session-row"]:not([data-current])').getByRole("button", { name: "End this session" }).click();
    await onA.getByRole("alertdialog", { name: "End this session?" }).getByRole("button", { name: "End session" }).click();
    await expect.poll(() => rows.count(), POLL).toBe(1);
    // B's next request, on B: the sign-in page.
    await onB.goto(homeOnB);
    await onB.waitForURL(/\/login/);
  });
});
