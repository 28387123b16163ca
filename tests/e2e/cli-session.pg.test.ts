// The CLI session of issue 14, as a user types it, with the bundled CLI (clients/cli/tessera.mjs:
// what users install, not the TypeScript sources) against the production server, on SQLite and on
// PostgreSQL (this file runs in both projects): log in, create a workspace token, create secrets
// (one from stdin, more by `import`), make a workload and bind a secret, then `tessera run` and
// the Python client's `run` both hand the value to a child while nothing the CLI prints shows it,
// and `env --format k8s-secret` gives a Secret manifest that parses as YAML.
import { execFileSync, spawn } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { closeDb } from "@/lib/db/client";
import { CLI_BUNDLE, cliCommand, isolatedEnv, runCli, type CliResult } from "../helpers/cli";
import { makeToken, makeWorkspace } from "../helpers/fixtures";
import { ROOT, startFileServer, type RunningServer } from "../helpers/server";

const HF_VALUE = `hf_CANARY${randomUUID().replace(/-/g, "")}`;
const DB_VALUE = `postgres://app:CANARY-${randomUUID()}@db/app`;
const sha = (v: string) => createHash("sha256").update(v).digest("hex");

let server: RunningServer;
let env: Record<string, string | undefined>;
let userToken: string;
/** Every output the CLI printed in this session (each must be free of secret values). */
const printed: string[] = [];
let workloadToken = "";

async function tessera(args: string[], opts: { input?: string; env?: Record<string, string | undefined> } = {}): Promise<CliResult> {
  const r = await runCli(args, { env: { ...env, ...opts.env }, input: opts.input });
  printed.push(r.stdout, r.stderr);
  return r;
}

function ok(r: CliResult): CliResult {
  expect(r.code, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`).toBe(0);
  return r;
}

/** Runs the CLI in a pseudo-terminal (tests/helpers/pty-run.py), answering each prompt as it shows. */
function atTerminal(steps: [string, string][], args: string[], ttyEnv: Record<string, string | undefined>): { code: number; output: string } {
  const out = execFileSync("python3", [path.join(ROOT, "tests/helpers/pty-run.py"), JSON.stringify(steps), "--", ...cliCommand(), ...args], {
    env: ttyEnv as unknown as NodeJS.ProcessEnv,
  }).toString();
  const r = JSON.parse(out) as { code: number; output: string; unanswered: string[] };
  expect(r.unanswered, r.output).toEqual([]);
  return r;
}

beforeAll(async () => {
  // The test runs what users install: the bundle must be there (npm install / the global setup build it).
  expect(cliCommand()).toEqual([process.execPath, CLI_BUNDLE]);
  const { workspace, owner } = await makeWorkspace({ active: true });
  userToken = (await makeToken(owner, workspace.id, { name: "laptop" })).value;
  await closeDb();
  server = await startFileServer("cli-session");
  env = isolatedEnv({ TESSERA_URL: server.url });
}, 300_000);


afterAll(async () => {
  await server?.stop();
});

describe("a CLI session, from login to a running workload", () => {
  it("logs in with a token from stdin, and whoami shows it without its value", async () => {
    const login = ok(await tessera(["login", "--token-stdin"], { input: `${userToken}\n` }));
    expect(login.stderr).toContain("Logged in");
    const who = ok(await tessera(["whoami", "--json"]));
    const me = JSON.parse(who.stdout) as { token: { kind: string; name: string; expiresAt: string }; workspace: { role: string } };
    expect(me.token).toMatchObject({ kind: "user", name: "laptop" });
    expect(me.workspace.role).toBe("owner");
    expect(who.stdout).not.toContain(userToken);
  });

  it("at a terminal: the token is typed at a prompt that does not echo it, and a deletion asks first", async () => {
    const ttyEnv = isolatedEnv({ TESSERA_URL: server.url });
    const login = atTerminal([["(it will not show): ", userToken]], ["login"], ttyEnv);
    expect(login.code, login.output).toBe(0);
    expect(login.output).toContain("Logged in");
    expect(login.output).not.toContain(userToken);
    // A confirmation: "n" keeps the token, "y" cancels it.
    const made = JSON.parse(ok(await tessera(["tokens", "create", "tty-probe", "--kind", "workspace", "--json"])).stdout) as { id: string; value: string };
    const no = atTerminal([["[y/N] ", "n"]], ["tokens", "cancel", made.id], ttyEnv);
    expect(no.code, no.output).toBe(130);
    expect((JSON.parse(ok(await tessera(["tokens", "info", made.id, "--json"])).stdout) as { status: string }).status).toBe("active");
    const yes = atTerminal([["[y/N] ", "y"]], ["tokens", "cancel", made.id], ttyEnv);
    expect(yes.code, yes.output).toBe(0);
    expect((JSON.parse(ok(await tessera(["tokens", "info", made.id, "--json"])).stdout) as { status: string }).status).toBe("cancelled");
    printed.push(login.output, no.output, yes.output);
  });

  it("creates a workspace token: its value once, on stdout only", async () => {
    const r = ok(await tessera(["tokens", "create", "ci-deploy", "--kind", "workspace", "--role", "member", "--expires-in-days", "7", "--json"]));
    const created = JSON.parse(r.stdout) as { value: string; kind: string };
    expect(created.kind).toBe("workspace");
    expect(created.value).toMatch(/^tsr_/);
    expect(r.stderr).not.toContain(created.value);
    const list = ok(await tessera(["tokens", "list", "--json"]));
    expect(list.stdout).not.toContain(created.value);
    expect((JSON.parse(list.stdout) as { name: string }[]).map((t) => t.name)).toContain("ci-deploy");
  });

  it("creates a secret from stdin and more from a .env file", async () => {
    ok(await tessera(["secrets", "create", "hf-token", "--preset", "huggingface", "--visibility", "public", "--env-name", "HF_TOKEN"], { input: HF_VALUE }));
    const dir = mkdtempSync(path.join(tmpdir(), "tessera-session-"));
    const file = path.join(dir, "prod.env");
    writeFileSync(file, `# production\nexport DATABASE_URL="${DB_VALUE}"\nLOG_LEVEL=debug\n`);
    ok(await tessera(["secrets", "import", file, "--visibility", "public"]));
    const names = (JSON.parse(ok(await tessera(["secrets", "list", "--json"])).stdout) as { name: string }[]).map((s) => s.name).sort();
    expect(names).toEqual(["DATABASE_URL", "LOG_LEVEL", "hf-token"]);
  });

  it("makes a workload, binds secrets, and mints its workload token", async () => {
    ok(await tessera(["workloads", "create", "llama-train", "--kind", "job"]));
    ok(await tessera(["workloads", "bind", "llama-train", "HF_TOKEN", "--secret", "hf-token"]));
    ok(await tessera(["workloads", "bind", "llama-train", "DATABASE_URL", "--secret", "DATABASE_URL"]));
    const info = JSON.parse(ok(await tessera(["workloads", "info", "llama-train", "--json"])).stdout) as { bindings: { envName: string }[] };
    expect(info.bindings.map((b) => b.envName).sort()).toEqual(["DATABASE_URL", "HF_TOKEN"]);
    const r = ok(await tessera(["tokens", "create", "trainer", "--kind", "workload", "--workload", "llama-train"]));
    // Without --json the value is stdout's only line, so `> file` captures just it.
    workloadToken = r.stdout.trim();
    expect(workloadToken).toMatch(/^tsr_wkl_/);
    expect(r.stderr).not.toContain(workloadToken);
  });

  const CHILD = `const v = process.env.HF_TOKEN; const d = process.env.DATABASE_URL;
    console.log("leak " + v + " " + d);
    console.log("sha " + require("node:crypto").createHash("sha256").update(v).digest("hex"));
    console.log("token " + (process.env.TESSERA_TOKEN ? "present" : "absent"));`;

  it("tessera run hands the values to the command and redacts them from its output", async () => {
    const r = await tessera(["run", "--workload", "llama-train", "--", process.execPath, "-e", CHILD], { env: { TESSERA_TOKEN: workloadToken, TESSERA_CONFIG: path.join(mkdtempSync(path.join(tmpdir(), "wl-")), "none.json") } });
    ok(r);
    expect(r.stdout).toContain(`sha ${sha(HF_VALUE)}`);
    expect(r.stdout).toContain("leak [redacted:HF_TOKEN] [redacted:DATABASE_URL]");
    expect(r.stdout).toContain("token absent");
  });

  it("the Python client's run does the same", async () => {
    const py = await new Promise<CliResult>((resolve, reject) => {
      const child = spawn(
        "python3",
        ["-m", "tessera", "run", "--workload", "llama-train", "--", "python3", "-c", "import os,hashlib; v=os.environ['HF_TOKEN']; print('leak', v); print('sha', hashlib.sha256(v.encode()).hexdigest())"],
        { cwd: ROOT, env: { PATH: process.env.PATH, HOME: env.HOME, PYTHONPATH: path.join(ROOT, "clients/python/src"), TESSERA_URL: server.url, TESSERA_TOKEN: workloadToken } as unknown as NodeJS.ProcessEnv },
      );
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stderr += d));
      child.on("error", reject);
      child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
    });
    printed.push(py.stdout, py.stderr);
    ok(py);
    expect(py.stdout).toContain(`sha ${sha(HF_VALUE)}`);
    expect(py.stdout).toContain("leak [redacted:HF_TOKEN]");
  });

  it("env --format k8s-secret is a Secret manifest with the values base64-encoded", async () => {
    const r = ok(await tessera(["env", "--workload", "llama-train", "--format", "k8s-secret", "--namespace", "ml"], { env: { TESSERA_TOKEN: workloadToken } }));
    const doc = parseYaml(r.stdout) as { apiVersion: string; kind: string; type: string; metadata: { name: string; namespace: string }; data: Record<string, string> };
    expect(doc).toMatchObject({ apiVersion: "v1", kind: "Secret", type: "Opaque", metadata: { namespace: "ml" } });
    expect(doc.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
    expect(Buffer.from(doc.data.HF_TOKEN!, "base64").toString()).toBe(HF_VALUE);
    expect(Buffer.from(doc.data.DATABASE_URL!, "base64").toString()).toBe(DB_VALUE);
    // This output is for kubectl, and it carries the values (base64): it is not one of the printed lines checked below.
    printed.splice(printed.indexOf(r.stdout), 1);
  });

  it("a person's token cannot read values with env", async () => {
    const r = await tessera(["env", "--workload", "llama-train", "--format", "json"]);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe("");
  });

  it("nothing the CLI printed shows a secret value, and only tokens create showed a token", () => {
    const all = printed.join("\n");
    for (const v of [HF_VALUE, DB_VALUE, userToken]) expect(all).not.toContain(v);
    expect(all.split(workloadToken).length - 1).toBe(1);
  });
});
