// The dashboard's commands work when pasted (issue 14), in a real browser against the production
// server: a workload token made in the dashboard reveals the `tessera run` command with its value,
// the Workloads page shows the same command (the token then comes from TESSERA_TOKEN) and the
// one-line install. A shell runs them as shown: the install line downloads the CLI from this
// server, the revealed command runs with it, and the page's command runs with the bundle
// (`tessera` → `node <bundle>`); `python train.py` is replaced by a script that says whether it got
// the bound secret (a hash, never the value). Nothing shows the value.
import { spawn } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserActor } from "../../lib/auth/actor";
import { buildCliIfStale, CLI_BUNDLE } from "../../lib/cli/build";
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
const CANARY = `CANARY-run-${randomUUID()}`;
const WORKLOAD = "train-job";
// Stands in for `python train.py`: whether MODEL_KEY came, and its hash (never the value).
const PROBE = `node -e 'const v = process.env.MODEL_KEY; console.log("bound=" + (v ? "yes" : "no") + " sha=" + require("node:crypto").createHash("sha256").update(v || "").digest("hex") + " mode=" + process.env.MODE)'`;
const EXPECTED = `bound=yes sha=${createHash("sha256").update(CANARY).digest("hex")} mode=train\n`;

let server: RunningServer;
let browser: Browser;
let page: Page;
let workspaceId: string;
let workloadId: string;

async function shot(name: string) {
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** Runs a command line with bash, as a user's terminal would: only PATH, HOME and what `env` adds. */
function shell(command: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const vars: Record<string, string | undefined> = { PATH: process.env.PATH, ...env };
    const child = spawn("bash", ["-c", command], { env: vars as NodeJS.ProcessEnv });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** The command with `python train.py` replaced by the probe (it must end with the example command). */
function withProbe(command: string): string {
  expect(command.endsWith(" -- python train.py")).toBe(true);
  return `${command.slice(0, -"python train.py".length)}${PROBE}`;
}

async function clipboardAfter(button: ReturnType<Page["getByRole"]>): Promise<string> {
  await button.click();
  return page.evaluate(() => navigator.clipboard.readText());
}

beforeAll(async () => {
  if (!RUN) return;
  await buildCliIfStale();
  server = await startFileServer("workload-run", { TESSERA_AUTO_ACTIVATE: "true" });
  browser = await launchBrowser();
  page = await (await newContext(browser)).newPage();
  await page.goto(`${server.url}/signup`);
  await page.getByLabel("Name").fill("Rhea Runner");
  await page.getByLabel("Work email").fill("rhea@example.com");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await signInAfterSignUp(page, "rhea@example.com", PASSWORD);
  await page.waitForURL(/\/w\/[a-z0-9]+$/);
  workspaceId = new URL(page.url()).pathname.split("/")[2]!;
  // The secret and the workload, as her own dashboard would make them.
  const u = await db().user.findUniqueOrThrow({ where: { email: "rhea@example.com" } });
  const rhea: UserActor = { type: "user", userId: u.id, email: u.email, isPlatformAdmin: true, sessionId: null, meta: meta() };
  const secret = await createSecret(rhea, workspaceId, { name: "model-key", value: CANARY, visibility: "public" });
  const workload = await createWorkload(rhea, workspaceId, {
    name: WORKLOAD,
    kind: "job",
    bindings: [
      { envName: "MODEL_KEY", secretId: secret.secret.id },
      { envName: "MODE", value: "train" },
    ],
  });
  workloadId = workload.id;
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe.runIf(RUN)("the dashboard's tessera run commands, pasted into a shell", () => {
  let revealed: string;
  let value: string;

  it("the reveal of a new workload token shows the run command with its value, and the install line", async () => {
    await page.goto(`${server.url}/w/${workspaceId}/tokens`);
    await page.getByRole("button", { name: "Create token" }).click();
    const dialog = page.getByRole("dialog", { name: "Create token" });
    await dialog.getByRole("radio", { name: /Workload token/ }).check();
    await dialog.getByLabel("Name").fill("trainer");
    await dialog.getByRole("combobox", { name: /Workload/ }).selectOption({ label: WORKLOAD });
    await dialog.getByRole("button", { name: "Create token" }).click();
    const reveal = page.getByRole("dialog", { name: "Copy your new token" });
    await reveal.waitFor();
    value = (await reveal.getByTestId("token-value").textContent())!;
    expect(value).toMatch(/^tsr_wkl_[0-9A-Za-z]{38}$/);
    revealed = (await reveal.getByTestId("token-run").textContent())!;
    expect(revealed).toBe(`TESSERA_URL=${server.url} TESSERA_TOKEN=${value} tessera run --workspace ${workspaceId} --workload ${WORKLOAD} -- python train.py`);
    expect(await reveal.getByTestId("token-curl").count()).toBe(0);
    expect(await reveal.getByTestId("cli-install").textContent()).toBe(
      `mkdir -p ~/.local/bin && curl -fsSL ${server.url}/cli/tessera.mjs -o ~/.local/bin/tessera && chmod +x ~/.local/bin/tessera`,
    );
    expect(await clipboardAfter(reveal.getByRole("button", { name: "Copy command" }))).toBe(revealed);
    await shot("workload-token-reveal");
    await reveal.getByRole("button", { name: "Done" }).click();
    await reveal.waitFor({ state: "detached" });
  });

  it("the Workloads page shows the same command (the token from TESSERA_TOKEN) and the install line, with copy buttons", async () => {
    await page.goto(`${server.url}/w/${workspaceId}/workloads`);
    const card = page.getByTestId("workload-card").filter({ has: page.getByRole("heading", { name: WORKLOAD }) });
    const shown = (await card.getByTestId("workload-run").textContent())!;
    expect(shown).toBe(revealed.replace(` TESSERA_TOKEN=${value}`, ""));
    expect(await clipboardAfter(card.getByRole("button", { name: `Copy the run command of ${WORKLOAD}` }))).toBe(shown);
    const install = (await page.getByTestId("cli-install").textContent())!;
    expect(install).toBe(`mkdir -p ~/.local/bin && curl -fsSL ${server.url}/cli/tessera.mjs -o ~/.local/bin/tessera && chmod +x ~/.local/bin/tessera`);
    expect(await clipboardAfter(page.getByRole("button", { name: "Copy the install command" }))).toBe(install);
    expect(await page.content()).not.toContain(CANARY);
    expect(await page.content()).not.toContain(value.slice(8));
    await shot("workloads-run-it");

    // The install line, in a fresh home: it downloads this server's CLI.
    const home = mkdtempSync(path.join(tmpdir(), "tessera-home-"));
    const installed = await shell(install, { HOME: home });
    expect(installed).toMatchObject({ code: 0, stderr: "" });
    expect(readFileSync(path.join(home, ".local/bin/tessera")).equals(readFileSync(CLI_BUNDLE))).toBe(true);

    // The revealed command, as shown, with the CLI just installed (found on PATH).
    const onPath = { HOME: home, PATH: `${home}/.local/bin:${process.env.PATH}` };
    const first = await shell(withProbe(revealed), onPath);
    expect(first.stderr).toBe("");
    expect(first).toMatchObject({ code: 0, stdout: EXPECTED });

    // The page's command, with the bundle for `tessera` and the token in the environment.
    const bundled = withProbe(shown).replace(" tessera run ", ` node ${CLI_BUNDLE} run `);
    expect(bundled).toContain(` node ${CLI_BUNDLE} run --workspace ${workspaceId} --workload ${WORKLOAD} -- node -e `);
    const second = await shell(bundled, { HOME: home, TESSERA_TOKEN: value });
    expect(second.stderr).toBe("");
    expect(second).toMatchObject({ code: 0, stdout: EXPECTED });

    for (const out of [first.stdout, first.stderr, second.stdout, second.stderr, server.output()]) {
      expect(out).not.toContain(CANARY);
      expect(out).not.toContain(value);
    }
    // The runs went through the workload's credential exchange, audited against this workload.
    expect(await db().auditEvent.count({ where: { workspaceId, action: "workload.env.resolve", targetId: workloadId } })).toBe(2);
  });
});
