// Accessibility in a real browser: axe-core (tests/helpers/axe.ts) over every page and the main
// dialogs and menus, with data in them, at 1440x900 and 390x844; any serious or critical violation
// fails, with its rule, target and page. Also the 404 pages (in Tessera's layout, with a way back;
// a foreign workspace answers exactly like an unknown one), the skip link as the first Tab stop,
// and the phones' navigation menu. One server, one browser.
//
// To cover a new page or dialog, add a row to STATES: { name, path, open? } (`open` runs after the
// page has loaded: open a dialog, a menu, fill a form...).
import { randomUUID } from "node:crypto";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserActor } from "../../lib/auth/actor";
import { db } from "../../lib/db/client";
import { createInvitation } from "../../lib/services/invitations";
import { createSecret } from "../../lib/services/secrets";
import { createToken } from "../../lib/services/tokens";
import { createWorkload } from "../../lib/services/workloads";
import { requestActivation } from "../../lib/services/workspaces";
import { axeViolations, BLOCKING, describeViolations } from "../helpers/axe";
import { CHROMIUM, hasChromium, launchBrowser, PHONE, signInAfterSignUp } from "../helpers/browser";
import { makeUser, makeWorkspace, meta } from "../helpers/fixtures";
import { startFileServer, type RunningServer } from "../helpers/server";

const SHOTS = process.env.TESSERA_SCREENSHOTS;
const RUN = hasChromium() || Boolean(process.env.CI);
if (!RUN) console.warn(`Browser tests skipped: ${CHROMIUM} not found (apt-get install chromium)`);
const PASSWORD = "correct horse battery staple";
const WIDE = { width: 1440, height: 900 };
const SIZES = [
  { name: "1440", viewport: WIDE },
  { name: "390", viewport: PHONE },
];

let server: RunningServer;
let browser: Browser;
let signedIn: BrowserContext;
let signedOut: BrowserContext;
let page: Page;
let anon: Page;
let ws: string;
let foreignWs: string;
let inviteCode: string;
let userId: string;
let workloadId: string;

async function shot(p: Page, name: string) {
  if (SHOTS) await p.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: false });
}

type State = {
  name: string;
  /** A path, or a function of the seeded ids. */
  path: string | (() => string);
  /** A page of the signed-out visitor. */
  signedOut?: boolean;
  /** After load: open the dialog or menu to check (it stays open while both widths are checked). */
  open?: (page: Page) => Promise<void>;
  /** After both widths: close what `open` opened, when it matters for the next state. */
  close?: (page: Page) => Promise<void>;
};

const dialog = (p: Page, name: string | RegExp) => p.getByRole("dialog", { name });
const escape = async (p: Page) => {
  await p.keyboard.press("Escape");
  await p.getByRole("dialog").or(p.getByRole("menu")).first().waitFor({ state: "hidden" });
};

// In order: states of one page follow its page, so that a state whose `close` leaves the page as it
// was is followed without loading the page again.
const STATES: State[] = [
  { name: "sign-in", path: "/login", signedOut: true },
  { name: "sign-up", path: "/signup", signedOut: true },
  { name: "forgot password", path: "/forgot-password", signedOut: true },
  { name: "reset password (no link)", path: "/reset-password", signedOut: true },
  { name: "invitation (signed out)", path: () => `/invite/${inviteCode}`, signedOut: true },
  { name: "auth error", path: "/auth-error?error=AccessDenied", signedOut: true },
  { name: "404 signed out", path: "/nope", signedOut: true },
  { name: "overview", path: () => `/w/${ws}` },
  { name: "settings", path: () => `/w/${ws}/settings` },
  {
    name: "workspace switcher open",
    path: () => `/w/${ws}/settings`,
    open: async (p) => {
      await p.getByRole("button", { name: /switch workspace/ }).click();
      await p.getByRole("menu").waitFor();
    },
    close: escape,
  },
  {
    name: "account menu open",
    path: () => `/w/${ws}/settings`,
    open: async (p) => {
      await p.getByRole("button", { name: /account menu/i }).click();
      await p.getByRole("menu").waitFor();
    },
    close: escape,
  },
  {
    name: "success toast",
    path: () => `/w/${ws}/settings`,
    open: async (p) => {
      await p.getByRole("button", { name: "Copy workspace ID" }).click();
      const toast = p.locator("[data-sonner-toast]").filter({ hasText: "Copied to clipboard" });
      await toast.waitFor();
      // Checked once it has faded in (mid-transition its text is paler than it will be).
      await toast.evaluate((el) => Promise.all(el.getAnimations({ subtree: true }).map((a) => a.finished)));
    },
  },
  { name: "members", path: () => `/w/${ws}/members` },
  {
    name: "invite dialog",
    path: () => `/w/${ws}/members`,
    open: async (p) => {
      await p.getByRole("button", { name: "Invite" }).click();
      await dialog(p, "Invite people").waitFor();
    },
    close: escape,
  },
  { name: "invitations", path: () => `/w/${ws}/members/invitations` },
  { name: "roles", path: () => `/w/${ws}/members/roles` },
  { name: "tokens", path: () => `/w/${ws}/tokens` },
  {
    name: "token actions menu open",
    path: () => `/w/${ws}/tokens`,
    open: async (p) => {
      await p.getByRole("button", { name: "Actions for ci-deploy" }).click();
      await p.getByRole("menu").waitFor();
    },
    close: escape,
  },
  {
    name: "token edit dialog",
    path: () => `/w/${ws}/tokens`,
    open: async (p) => {
      await p.getByRole("button", { name: "Actions for ci-deploy" }).click();
      await p.getByRole("menuitem", { name: /Edit/ }).click();
      await dialog(p, "Edit ci-deploy").waitFor();
    },
    close: escape,
  },
  {
    name: "create token dialog",
    path: () => `/w/${ws}/tokens`,
    open: async (p) => {
      await p.getByRole("button", { name: "Create token" }).click();
      await dialog(p, "Create token").waitFor();
    },
    close: escape,
  },
  {
    name: "token reveal dialog",
    path: () => `/w/${ws}/tokens`,
    open: async (p) => {
      await p.getByRole("button", { name: "Create token" }).click();
      await dialog(p, "Create token").getByLabel("Name").fill(`a11y-${randomUUID().slice(0, 8)}`);
      await dialog(p, "Create token").getByRole("button", { name: "Create token" }).click();
      await dialog(p, "Copy your new token").waitFor();
    },
    close: async (p) => {
      await dialog(p, "Copy your new token").getByRole("button", { name: "Done" }).click();
      await dialog(p, "Copy your new token").waitFor({ state: "detached" });
    },
  },
  {
    name: "confirm delete dialog",
    path: () => `/w/${ws}/tokens`,
    open: async (p) => {
      await p.getByRole("button", { name: "Actions for ci-deploy" }).click();
      await p.getByRole("menuitem", { name: /Delete/ }).click();
      await p.getByRole("alertdialog").or(p.getByRole("dialog")).first().waitFor();
    },
    close: async (p) => {
      await p.keyboard.press("Escape");
      await p.getByRole("alertdialog").or(p.getByRole("dialog")).first().waitFor({ state: "hidden" });
    },
  },
  {
    name: "phone navigation open",
    path: () => `/w/${ws}/tokens`,
    open: async (p) => {
      await p.setViewportSize(PHONE);
      await p.getByRole("button", { name: /^Menu/ }).click();
      await p.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Secrets" }).waitFor();
    },
  },
  { name: "secrets", path: () => `/w/${ws}/secrets` },
  {
    name: "new secret dialog",
    path: () => `/w/${ws}/secrets`,
    open: async (p) => {
      await p.getByRole("button", { name: "New secret" }).click();
      await dialog(p, "New secret").waitFor();
    },
    close: escape,
  },
  {
    name: "secret edit dialog",
    path: () => `/w/${ws}/secrets`,
    open: async (p) => {
      await p.getByRole("button", { name: "Edit hf-token" }).click();
      await dialog(p, "Edit hf-token").waitFor();
    },
    close: escape,
  },
  {
    name: "import .env dialog with its preview",
    path: () => `/w/${ws}/secrets`,
    open: async (p) => {
      await p.getByRole("button", { name: "Import .env" }).click();
      const d = dialog(p, "Import secrets from a .env file");
      await d.getByLabel("Paste the file").fill(["HF_TOKEN=hf_not_a_real_value_for_the_preview", "not a line", "hf-token=x"].join("\n"));
      await d.getByRole("button", { name: "Preview" }).click();
      await d.getByTestId("import-counts").waitFor();
    },
    close: escape,
  },
  { name: "workloads", path: () => `/w/${ws}/workloads` },
  { name: "workload page", path: () => `/w/${ws}/workloads/${workloadId}` },
  { name: "audit", path: () => `/w/${ws}/audit` },
  {
    name: "audit details drawer",
    path: () => `/w/${ws}/audit`,
    open: async (p) => {
      await p.getByRole("button", { name: /^Details/ }).first().click();
      await p.getByTestId("audit-details").waitFor();
    },
    close: escape,
  },
  { name: "admin", path: "/admin" },
  { name: "account", path: "/account" },
  {
    name: "confirm it's you (reauth) dialog",
    path: "/account",
    open: async (p) => {
      // Past the 10-minute sudo window: a password change asks again.
      await db().session.updateMany({ where: { userId }, data: { reauthAt: new Date(Date.now() - 11 * 60 * 1000) } });
      const section = p.getByTestId("password-section");
      await section.getByLabel("Current password").fill(PASSWORD);
      await section.getByLabel("New password", { exact: true }).fill(`${PASSWORD} 2`);
      await section.getByLabel("Confirm new password").fill(`${PASSWORD} 2`);
      await section.getByRole("button", { name: "Change password" }).click();
      await p.getByRole("dialog").getByRole("heading", { name: "Confirm it's you" }).waitFor();
    },
    close: escape,
  },
  { name: "new workspace", path: "/new" },
  { name: "device", path: "/device" },
  {
    name: "API reference",
    path: "/docs/api",
    open: async (p) => {
      await p.locator(".swagger-ui .opblock").first().waitFor();
    },
  },
  { name: "404 unknown page", path: "/nope" },
  { name: "404 unknown workspace page", path: () => `/w/${ws}/nope` },
  { name: "404 foreign workspace", path: () => `/w/${foreignWs}/settings` },
];

beforeAll(async () => {
  if (!RUN) return;
  server = await startFileServer("a11y", { TESSERA_AUTO_ACTIVATE: "true" });
  browser = await launchBrowser();
  signedIn = await browser.newContext({ viewport: WIDE, permissions: ["clipboard-read", "clipboard-write"] });
  signedOut = await browser.newContext({ viewport: WIDE });
  page = await signedIn.newPage();
  anon = await signedOut.newPage();

  await page.goto(`${server.url}/signup`);
  await page.getByLabel("Name").fill("Ada Access");
  await page.getByLabel("Work email").fill("ada@example.com");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await signInAfterSignUp(page, "ada@example.com", PASSWORD);
  await page.waitForURL(/\/w\/[a-z0-9]+/);
  ws = new URL(page.url()).pathname.split("/")[2]!;

  // Data on every page, through the services (the server shares this file's database).
  const user = await db().user.findUniqueOrThrow({ where: { email: "ada@example.com" } });
  userId = user.id;
  const ada: UserActor = { type: "user", userId, email: user.email, isPlatformAdmin: true, sessionId: null, meta: meta() };
  await createToken(ada, ws, { kind: "workspace", name: "ci-deploy", description: "Deploys from CI" });
  await createSecret(ada, ws, { name: "hf-token", preset: "huggingface", value: `hf_${"Q".repeat(34)}`, visibility: "public" });
  await createSecret(ada, ws, { name: "openai", value: "not-a-real-key", envName: "OPENAI_API_KEY" });
  workloadId = (await createWorkload(ada, ws, { name: "llama-runtime", kind: "endpoint", description: "Serves the model" })).id;
  const member = await makeUser("grace");
  await db().membership.create({ data: { workspaceId: ws, userId: member.userId, role: "member" } });
  await createInvitation(ada, ws, { email: "linus@example.com", role: "viewer" });
  const link = await createInvitation(ada, ws, { role: "member", anyoneWithLink: true });
  inviteCode = new URL(link.link).pathname.split("/").pop()!;
  // Someone else's workspace, and one waiting for approval on the Admin page.
  const foreign = await makeWorkspace({ name: "Elsewhere" });
  foreignWs = foreign.workspace.id;
  await requestActivation(foreign.owner, foreignWs, { organisation: "Elsewhere Labs", useCase: "Fine-tuning models for support" });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe.runIf(RUN)("accessibility (axe-core) of every page and dialog, at both widths", () => {
  // Whether a page shows its URL as loaded (the last state closed what it opened): the next state
  // of the same URL starts there without loading it again.
  const clean = new Map<Page, boolean>();
  for (const state of STATES) {
    it(state.name, async () => {
      const p = state.signedOut ? anon : page;
      await p.setViewportSize(WIDE);
      const url = `${server.url}${typeof state.path === "function" ? state.path() : state.path}`;
      if (!(clean.get(p) && p.url() === url)) {
        await p.goto(url);
        await p.locator("main#main").waitFor();
      }
      clean.set(p, false);
      await state.open?.(p);
      const failures: string[] = [];
      // The phone menu is a phone-width state only.
      const sizes = state.name === "phone navigation open" ? SIZES.slice(1) : SIZES;
      for (const size of sizes) {
        await p.setViewportSize(size.viewport);
        const violations = await axeViolations(p);
        const where = `"${state.name}" at ${size.name} px (${url})`;
        failures.push(...describeViolations(where, violations.filter((v) => BLOCKING.has(v.impact ?? ""))));
        const minor = violations.filter((v) => !BLOCKING.has(v.impact ?? ""));
        if (minor.length) console.warn(`not failing (minor or moderate):\n${describeViolations(where, minor).join("\n")}`);
      }
      await state.close?.(p);
      clean.set(p, !state.open || Boolean(state.close));
      expect(failures, failures.join("\n")).toEqual([]);
    });
  }
});

describe.runIf(RUN)("not-found pages", () => {
  it("an unknown address, signed out: 404 in Tessera's frame, with a way to sign in", async () => {
    const res = await anon.goto(`${server.url}/no-such-page`);
    expect(res!.status()).toBe(404);
    await anon.getByRole("heading", { name: "Page not found" }).waitFor();
    expect(await anon.getByRole("main").getByRole("link", { name: "Sign in" }).getAttribute("href")).toBe("/login");
    await shot(anon, "404-signed-out-1440");
    await anon.setViewportSize(PHONE);
    await shot(anon, "404-signed-out-390");
    await anon.setViewportSize(WIDE);
  });

  it("an unknown address, signed in: 404 in the dashboard shell, with a way back to the workspace", async () => {
    await page.setViewportSize(WIDE);
    const res = await page.goto(`${server.url}/no-such-page`);
    expect(res!.status()).toBe(404);
    await page.getByRole("heading", { name: "Page not found" }).waitFor();
    expect(await page.getByRole("navigation", { name: "Main" }).isVisible()).toBe(true);
    const back = page.getByRole("main").getByRole("link", { name: /^Go to / });
    expect(await back.getAttribute("href")).toBe(`/w/${ws}`);
    await shot(page, "404-signed-in-1440");
    await back.click();
    await page.waitForURL(new RegExp(`/w/${ws}`));
  });

  it("an unknown page of a workspace: 404 inside the workspace's shell, with a link back to it", async () => {
    await page.setViewportSize(WIDE);
    const res = await page.goto(`${server.url}/w/${ws}/no-such-page`);
    expect(res!.status()).toBe(404);
    await page.getByRole("heading", { name: "Page not found" }).waitFor();
    // The workspace's own navigation is there: the shell of this workspace.
    expect(await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Tokens" }).getAttribute("href")).toBe(`/w/${ws}/tokens`);
    expect(await page.getByRole("main").getByRole("link", { name: "Back to the workspace" }).getAttribute("href")).toBe(`/w/${ws}`);
    await shot(page, "404-workspace-page-1440");
    await page.setViewportSize(PHONE);
    await shot(page, "404-workspace-page-390");
    await page.setViewportSize(WIDE);
  });

  it("a page's response carries a request id: the client's when well-formed, a fresh one otherwise", async () => {
    const given = "a11y-test-0123456789";
    const echoed = await fetch(`${server.url}/no-such-page`, { headers: { "x-request-id": given } });
    expect(echoed.status).toBe(404);
    expect(echoed.headers.get("x-request-id")).toBe(given);
    const fresh = await fetch(`${server.url}/login`, { headers: { "x-request-id": "no good" } });
    expect(fresh.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("AUTHZ-02: a foreign workspace answers exactly like one that does not exist", async () => {
    const unknownId = `c${"x".repeat(24)}`;
    const main = async (id: string) => {
      const res = await page.goto(`${server.url}/w/${id}/settings`);
      expect(res!.status()).toBe(404);
      await page.getByRole("heading", { name: "Page not found" }).waitFor();
      return page.getByRole("main").innerText();
    };
    const foreign = await main(foreignWs);
    expect(foreign).not.toContain("Elsewhere");
    expect(await main(unknownId)).toBe(foreign);
    // Its name is nowhere in the page, switcher and navigation included.
    expect(await page.content()).not.toContain("Elsewhere");
  });
});

describe.runIf(RUN)("keyboard and phone navigation", () => {
  it("the first Tab stop on every kind of page is 'Skip to main content', and it moves focus to <main>", async () => {
    for (const [p, where] of [
      [anon, "/login"],
      [page, `/w/${ws}/tokens`],
      [page, "/no-such-page"],
    ] as const) {
      await p.setViewportSize(WIDE);
      await p.goto(`${server.url}${where}`);
      await p.locator("main#main").waitFor();
      await p.keyboard.press("Tab");
      const focused = p.locator(":focus");
      expect(await focused.textContent()).toBe("Skip to main content");
      expect(await focused.isVisible()).toBe(true);
      if (where.endsWith("/tokens")) {
        await shot(p, "skip-link-1440");
        await p.setViewportSize(PHONE);
        await shot(p, "skip-link-390");
        await p.setViewportSize(WIDE);
      }
      await p.keyboard.press("Enter");
      await expect.poll(() => p.evaluate(() => document.activeElement?.id)).toBe("main");
    }
  });

  it("on a phone the navigation is a Menu button that says where you are, opens with the keyboard and closes with Escape", async () => {
    await page.setViewportSize(PHONE);
    await page.goto(`${server.url}/w/${ws}/tokens`);
    const nav = page.getByRole("navigation", { name: "Main" });
    const menu = nav.getByRole("button", { name: "Menu · Tokens" });
    expect(await menu.getAttribute("aria-expanded")).toBe("false");
    // Closed: no link is cut off at the edge, none is shown.
    expect(await nav.getByRole("link", { name: "Secrets" }).isVisible()).toBe(false);
    await shot(page, "phone-nav-closed-390");
    await menu.focus();
    await page.keyboard.press("Enter");
    expect(await menu.getAttribute("aria-expanded")).toBe("true");
    for (const name of ["Overview", "General", "Members", "Tokens", "Secrets", "Workloads", "Audit", "Admin", "API reference"]) {
      const link = nav.getByRole("link", { name });
      expect(await link.isVisible()).toBe(true);
      // Every link fits the screen.
      const box = (await link.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
    }
    expect(await nav.getByRole("link", { name: "Tokens" }).getAttribute("aria-current")).toBe("page");
    await shot(page, "phone-nav-open-390");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Escape");
    expect(await menu.getAttribute("aria-expanded")).toBe("false");
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toContain("Menu");
    // A link followed closes it on the next page.
    await page.keyboard.press("Enter");
    await nav.getByRole("link", { name: "Secrets" }).click();
    await page.waitForURL(/\/secrets$/);
    await nav.getByRole("button", { name: "Menu · Secrets" }).waitFor();
    expect(await nav.getByRole("button", { name: "Menu · Secrets" }).getAttribute("aria-expanded")).toBe("false");
    // At desktop width the links are always there and the button is not.
    await page.setViewportSize(WIDE);
    expect(await nav.getByRole("link", { name: "Tokens" }).isVisible()).toBe(true);
    expect(await nav.getByRole("button", { name: /^Menu/ }).isVisible()).toBe(false);
    await shot(page, "desktop-nav-1440");
  });
});
