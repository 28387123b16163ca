// Headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core. Playwright gives
// every launch a fresh, temporary profile.
import { existsSync } from "node:fs";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { BROWSER_HANG_GUARD_MS } from "./hang-guard";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export function hasChromium(): boolean {
  return existsSync(CHROMIUM);
}

/**
 * Every context of this browser (through newContext or newPage, here or in a test file) waits for
 * actions, locators and navigations up to the hang guard instead of Playwright's 30 s, which a
 * page render on a loaded machine can exceed: the verdict waits for the DOM state, not a budget.
 */
export async function launchBrowser(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const open = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await open(options);
    context.setDefaultTimeout(BROWSER_HANG_GUARD_MS);
    return context;
  };
  return browser;
}

export const DESKTOP = { width: 1280, height: 860 };
export const PHONE = { width: 390, height: 844 };

export async function newContext(browser: Browser, viewport = DESKTOP): Promise<BrowserContext> {
  return browser.newContext({ viewport, permissions: ["clipboard-read", "clipboard-write"] });
}

/**
 * After "Create account": sign-up never signs anyone in (it answers the same whether or not the
 * address already had an account; docs/guide.md "Signing in"), so it leads to the sign-in page, which
 * says so. Signs in there; the page then goes on to the sign-up's callback.
 */
export async function signInAfterSignUp(page: Page, email: string, password: string): Promise<void> {
  await page.waitForURL(/\/login\?signedUp=1/);
  await page.getByRole("status").filter({ hasText: "If this email address is new here" }).waitFor();
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** Signs up through the form at `baseUrl`/signup, then signs in (see signInAfterSignUp). */
export async function signUpThroughForm(page: Page, baseUrl: string, user: { name: string; email: string; password: string }): Promise<void> {
  await page.goto(`${baseUrl}/signup`);
  await page.getByLabel("Name").fill(user.name);
  await page.getByLabel("Work email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await signInAfterSignUp(page, user.email, user.password);
}
