// The Python client for workloads (clients/python) against the production server: its unittest
// suite (load_env, `python -m tessera run`, the typed client, retries) runs with the ids and tokens
// made here; then the package is installed with pip into a fresh venv, offline (no index: its
// in-tree build backend needs nothing), and the installed `python -m tessera run` is run as a
// workload runs it: the command sees the secret, its captured output shows only the marker.
import { spawn } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/lib/db/client";
import { createSecret } from "@/lib/services/secrets";
import { createWorkload } from "@/lib/services/workloads";
import { makeToken, makeWorkspace } from "../helpers/fixtures";
import { ROOT, startFileServer, type RunningServer } from "../helpers/server";

const PY_ROOT = path.join(ROOT, "clients/python");
const PYTHON = process.env.TESSERA_TEST_PYTHON ?? "python3";
const CANARY = `CANARY-py-${randomUUID()}`;
const PRIVATE_CANARY = `CANARY-py-private-${randomUUID()}`;
let server: RunningServer;
let venv: string;
const secrets: string[] = [];
const testEnv: Record<string, string> = {};

type Result = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

function run(cmd: string, args: string[], env: Record<string, string | undefined>, cwd = PY_ROOT): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** A machine's environment without this test run's keys, and pip kept off any index or config. */
function baseEnv(extra: Record<string, string> = {}): Record<string, string | undefined> {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LANG: "C.UTF-8",
    PIP_CONFIG_FILE: "/dev/null",
    PIP_NO_INDEX: "1",
    PIP_DISABLE_PIP_VERSION_CHECK: "1",
    PYTHONDONTWRITEBYTECODE: "1",
    ...extra,
  };
}

beforeAll(async () => {
  const w = await makeWorkspace({ active: true, roles: ["admin"] });
  const ws = w.workspace.id;
  const owner = w.owner;
  const secret = await createSecret(owner, ws, { name: "py-model-key", value: CANARY, visibility: "public", envName: "MODEL_KEY" });
  const workload = await createWorkload(owner, ws, {
    name: `py-${randomUUID().slice(0, 8)}`,
    kind: "job",
    bindings: [
      { envName: "MODEL_KEY", secretId: secret.secret.id },
      { envName: "MODE", value: "production" },
    ],
  });
  const workloadToken = await makeToken(owner, ws, { kind: "workload", workloadId: workload.id });
  // The owner's private secret on a workload whose token an admin minted: withheld, with a warning.
  const priv = await createSecret(owner, ws, { name: "py-owners-own", value: PRIVATE_CANARY });
  const privateWorkload = await createWorkload(owner, ws, {
    name: `py-p-${randomUUID().slice(0, 8)}`,
    kind: "job",
    bindings: [
      { envName: "PRIV", secretId: priv.secret.id },
      { envName: "MODE", value: "p" },
    ],
  });
  const adminsToken = await makeToken(w.members.admin!, ws, { kind: "workload", workloadId: privateWorkload.id });
  const apiToken = await makeToken(owner, ws, { kind: "workspace", role: "admin", name: "py metadata" });
  await closeDb();
  // As talkative as the server gets: the secrecy checks read all of it.
  server = await startFileServer("python", { TESSERA_LOG_LEVEL: "trace" });
  Object.assign(testEnv, {
    TESSERA_TEST_URL: server.url,
    TESSERA_TEST_WORKSPACE: ws,
    TESSERA_TEST_WORKLOAD: workload.id,
    TESSERA_TEST_WORKLOAD_NAME: workload.name,
    TESSERA_TEST_WORKLOAD_TOKEN: workloadToken.value,
    TESSERA_TEST_WORKLOAD_TOKEN_ID: workloadToken.id,
    TESSERA_TEST_PRIVATE_WORKLOAD: privateWorkload.id,
    TESSERA_TEST_ADMINS_TOKEN: adminsToken.value,
    TESSERA_TEST_API_TOKEN: apiToken.value,
    TESSERA_TEST_API_TOKEN_ID: apiToken.id,
    TESSERA_TEST_SECRET_ID: secret.secret.id,
    TESSERA_TEST_SECRET_NAME: "py-model-key",
    TESSERA_TEST_CANARY: CANARY,
    TESSERA_TEST_PRIVATE_CANARY: PRIVATE_CANARY,
  });
  secrets.push(CANARY, PRIVATE_CANARY, workloadToken.value, adminsToken.value, apiToken.value);
  venv = mkdtempSync(path.join(tmpdir(), "tessera-py-venv-"));
}, 300_000);

afterAll(async () => {
  await server?.stop();
  if (venv) rmSync(venv, { recursive: true, force: true });
});

function expectNoSecrets(...outputs: string[]) {
  for (const out of outputs) for (const s of secrets) expect(out.includes(s), "a token or secret value was printed").toBe(false);
}

// A hang guard, not a budget: the verdict must not depend on how busy the machine is.
describe("the Python client", { timeout: 900_000 }, () => {
  it("passes its unittest suite against the server (nothing skipped)", async () => {
    const r = await run(PYTHON, ["-m", "unittest", "discover", "-s", "tests", "-t", ".", "-v"], baseEnv(testEnv));
    const report = `${r.stdout}\n${r.stderr}`;
    expect(r.code, report).toBe(0);
    expect(r.stderr, report).toMatch(/\nRan \d+ tests in [\d.]+s\n\nOK\n$/);
    expect(r.stderr).not.toContain("skipped");
    expect(Number(/\nRan (\d+) tests/.exec(r.stderr)![1])).toBeGreaterThanOrEqual(30);
    expectNoSecrets(r.stdout, r.stderr, server.output());
  });

  it("installs offline with pip into a new venv, and the installed `python -m tessera run` redacts what the command prints", async () => {
    const made = await run(PYTHON, ["-m", "venv", venv], baseEnv());
    expect(made.code, made.stderr).toBe(0);
    const py = path.join(venv, "bin", "python");
    // Build isolation on (pip's default) and no index: the build backend requires nothing.
    const pip = await run(py, ["-m", "pip", "install", "--no-index", PY_ROOT], baseEnv());
    expect(pip.code, `${pip.stdout}\n${pip.stderr}`).toBe(0);
    expect(pip.stdout).toMatch(/Successfully installed tessera-client-\d+\.\d+\.\d+/);

    // From another folder, so that the installed package is the one imported.
    const where = await run(py, ["-c", "import tessera; print(tessera.__file__)"], baseEnv(), venv);
    expect(where.stdout.trim().startsWith(path.join(venv, "lib"))).toBe(true);

    const child = [
      "import hashlib, os, sys",
      "v = os.environ['MODEL_KEY']",
      "print('value=' + v)",
      "print('sha=' + hashlib.sha256(v.encode()).hexdigest())",
      "print('same' if hashlib.sha256(v.encode()).hexdigest() == os.environ['EXPECTED_SHA'] else 'different')",
      "print('token=' + ('present' if 'TESSERA_TOKEN' in os.environ else 'absent'))",
      "sys.stderr.write('err=' + v + '\\n')",
    ].join("\n");
    const sha = createHash("sha256").update(CANARY).digest("hex");
    const r = await run(
      py,
      ["-m", "tessera", "run", "--", "python3", "-c", child],
      baseEnv({ TESSERA_URL: server.url, TESSERA_TOKEN: testEnv.TESSERA_TEST_WORKLOAD_TOKEN!, EXPECTED_SHA: sha }),
      venv,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`value=[redacted:MODEL_KEY]\nsha=${sha}\nsame\ntoken=absent\n`);
    expect(r.stderr).toBe("err=[redacted:MODEL_KEY]\n");
    const version = await run(py, ["-m", "tessera", "--version"], baseEnv(), venv);
    expect(version.stdout).toMatch(/^tessera-client \d+\.\d+\.\d+ /);
    expectNoSecrets(r.stdout, r.stderr, pip.stdout, pip.stderr, server.output());
  });
});
