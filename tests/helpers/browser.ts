// Headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core. Playwright gives
// every launch a fresh, temporary profile.
import { existsSync } from "node:fs";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export function hasChromium(): boolean {
  return existsSync(CHROMIUM);
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
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
}

export const DESKTOP = { width: 1280, height: 860 };
export const PHONE = { width: 390, height: 844 };

export async function newContext(browser: Browser, viewport = DESKTOP): Promise<BrowserContext> {
  return browser.newContext({ viewport, permissions: ["clipboard-read", "clipboard-write"] });
}

/**
 * After "Create account": sign-up never signs anyone in (it answers the same whether or not the
 * address already had an account; README "Signing in"), so it leads to the sign-in page, which
 * says so. Signs in there; the page then goes on to the sign-up's callback.
 */
export async function signInAfterSignUp(page: Page, email: string, password: string): Promise<void> {
  await page.waitForURL(/\/login\?signedUp=1/);
  await page.getByRole("status").filter({ hasText: "If this email address is new here" }).waitFor();
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}
