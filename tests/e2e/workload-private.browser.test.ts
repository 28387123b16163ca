// Security issue 12, H1, in a real browser against the production server: a member edits a
// workload that holds the owner's private secret. The edit dialog says who may change it; adding
// NODE_OPTIONS (the probe's exfiltration) is refused with the variable named and nothing changes;
// removing the private binding is allowed. Code-loading names get a hint as they are typed and are
// refused on save until an admin allows the name in Settings (audited).
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserActor } from "../../lib/auth/actor";
import { db } from "../../lib/db/client";
import { createSecret } from "../../lib/services/secrets";
import { createWorkload } from "../../lib/services/workloads";
import { CHROMIUM, hasChromium, launchBrowser, newContext, signInAfterSignUp } from "../helpers/browser";
import { meta } from "../helpers/fixtures";
import { startFileServer, type RunningServer } from "../helpers/server";

const SHOTS = process.env.TESSERA_SCREENSHOTS;
const RUN = hasChromium() || Boolean(process.env.CI);
if (!RUN) console.warn(`Browser tests skipped: ${CHROMIUM} not found (apt-get install chromium)`);
const PASSWORD = "correct horse battery staple";
const PRIVATE_VALUE = "owner-private-value-7f3a";

let server: RunningServer;
let browser: Browser;
let owner: Page;
let member: Page;
let workspaceId: string;
let workloadId: string;

async function shot(p: Page, name: string) {
  if (SHOTS) await p.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

async function signUp(p: Page, name: string, email: string) {
  await p.goto(`${server.url}/signup`);
  await p.getByLabel("Name").fill(name);
  await p.getByLabel("Work email").fill(email);
  await p.getByLabel("Password").fill(PASSWORD);
  await p.getByRole("button", { name: "Create account" }).click();
  await signInAfterSignUp(p, email, PASSWORD);
  await p.waitForURL(/\/w\/[a-z0-9]+$/);
}

const policyForm = () => owner.locator("form").filter({ has: owner.getByLabel("Allowed code-loading variables") });

const bindings = async () =>
  (await db().workloadBinding.findMany({ where: { workloadId }, orderBy: { envName: "asc" }, select: { envName: true, secretId: true, literalValue: true } })).map((b) => b.envName);

beforeAll(async () => {
  if (!RUN) return;
  server = await startFileServer("h1", { TESSERA_AUTO_ACTIVATE: "true" });
  browser = await launchBrowser();
  owner = await (await newContext(browser)).newPage();
  member = await (await newContext(browser)).newPage();
  await signUp(owner, "Olivia Owner", "olivia@example.com");
  workspaceId = new URL(owner.url()).pathname.split("/")[2]!;
  await signUp(member, "Mallory Member", "mallory@example.com");
  const o = await db().user.findUniqueOrThrow({ where: { email: "olivia@example.com" } });
  const m = await db().user.findUniqueOrThrow({ where: { email: "mallory@example.com" } });
  await db().membership.create({ data: { workspaceId, userId: m.id, role: "member" } });
  // The owner binds her private secret to a workload (as her own dashboard would).
  const ownerActor: UserActor = { type: "user", userId: o.id, email: o.email, isPlatformAdmin: true, sessionId: null, meta: meta() };
  const priv = await createSecret(ownerActor, workspaceId, { name: "olivia-hf", value: PRIVATE_VALUE });
  const wl = await createWorkload(ownerActor, workspaceId, {
    name: "llama-serve",
    kind: "endpoint",
    bindings: [
      { envName: "HF_TOKEN", secretId: priv.secret.id },
      { envName: "MODE", value: "prod" },
    ],
  });
  workloadId = wl.id;
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe.runIf(RUN)("someone else's private secret on a workload, in the browser", () => {
  it("a member's edit that keeps it is refused with the variable named; removing it is allowed", async () => {
    await member.goto(`${server.url}/w/${workspaceId}/workloads`);
    await member.getByRole("button", { name: "Edit llama-serve" }).click();
    const dialog = member.getByRole("dialog", { name: "Edit llama-serve" });
    expect(await dialog.getByTestId("foreign-private-note").textContent()).toMatch(/HF_TOKEN comes from another member's private secret/);

    // The probe: keep the binding, add NODE_OPTIONS.
    await dialog.getByRole("button", { name: "Add variable" }).click();
    await dialog.getByLabel("Variable 3 name").fill("NODE_OPTIONS");
    await dialog.getByLabel("Variable 3 source").selectOption("value");
    await dialog.getByLabel("Variable 3 value").fill("--import=data:text/javascript,console.error(process.env.HF_TOKEN)");
    await dialog.getByText("NODE_OPTIONS makes a process load code").waitFor();
    await dialog.getByRole("button", { name: "Save workload" }).click();
    await dialog.getByRole("alert").filter({ hasText: "HF_TOKEN comes from another member's private secret" }).waitFor();
    await shot(member, "h1-member-refused");
    expect(await bindings()).toEqual(["HF_TOKEN", "MODE"]);

    // Without the private binding, NODE_OPTIONS is still refused (a code-loading variable).
    await dialog.getByRole("button", { name: "Remove variable 1" }).click();
    await dialog.getByRole("button", { name: "Save workload" }).click();
    await dialog.getByRole("alert").filter({ hasText: "NODE_OPTIONS makes a process load code" }).first().waitFor();
    expect(await bindings()).toEqual(["HF_TOKEN", "MODE"]);

    // Removing the private binding (and nothing else) is allowed.
    await dialog.getByRole("button", { name: "Remove variable 2" }).click();
    await dialog.getByRole("button", { name: "Save workload" }).click();
    await dialog.waitFor({ state: "detached" });
    expect(await bindings()).toEqual(["MODE"]);
    expect(await member.content()).not.toContain(PRIVATE_VALUE);
  });

  it("an admin allows a code-loading name in Settings (audited); then a member may set it", async () => {
    await owner.goto(`${server.url}/w/${workspaceId}/settings`);
    await owner.getByLabel("Allowed code-loading variables").fill("LD_LIBRARY_PATH, HF_TOKEN");
    await policyForm().getByRole("button", { name: "Save" }).click();
    await owner.getByText("HF_TOKEN is not a code-loading variable name").waitFor();
    await owner.getByLabel("Allowed code-loading variables").fill("LD_LIBRARY_PATH");
    await policyForm().getByRole("button", { name: "Save" }).click();
    await owner.getByText("Workloads may set LD_LIBRARY_PATH").waitFor();
    await shot(owner, "h1-settings-allow");
    expect((await db().workspace.findUniqueOrThrow({ where: { id: workspaceId } })).allowedEnvNames).toBe("LD_LIBRARY_PATH");
    expect(await db().auditEvent.count({ where: { workspaceId, action: "workspace.workload_env_policy.update", result: "success" } })).toBe(1);

    await member.goto(`${server.url}/w/${workspaceId}/workloads`);
    await member.getByRole("button", { name: "Edit llama-serve" }).click();
    const dialog = member.getByRole("dialog", { name: "Edit llama-serve" });
    expect(await dialog.getByTestId("foreign-private-note").count()).toBe(0);
    await dialog.getByRole("button", { name: "Add variable" }).click();
    await dialog.getByLabel("Variable 2 name").fill("LD_LIBRARY_PATH");
    await dialog.getByLabel("Variable 2 source").selectOption("value");
    await dialog.getByLabel("Variable 2 value").fill("/usr/local/cuda/lib64");
    expect(await dialog.getByText("makes a process load code").count()).toBe(0);
    await dialog.getByRole("button", { name: "Save workload" }).click();
    await dialog.waitFor({ state: "detached" });
    expect(await bindings()).toEqual(["LD_LIBRARY_PATH", "MODE"]);
  });
});
