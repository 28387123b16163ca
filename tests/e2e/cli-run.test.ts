// `tessera run` and `tessera env` as a workload runs them, against the production server: the
// workload token is exchanged for a short-lived credential (SEC-14), the command gets the resolved
// environment (and not the token), and its captured output has every secret value redacted
// (SEC-15). Exit codes pass through. `env` prints the environment in four formats, each read back
// by what consumes it (bash, JSON, YAML), for a workload token only: people never get values.
import { spawn } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { closeDb } from "@/lib/db/client";
import { listAuditEvents } from "@/lib/services/audit";
import { createSecret } from "@/lib/services/secrets";
import { createWorkload } from "@/lib/services/workloads";
import { isolatedEnv, runCli, type CliResult } from "../helpers/cli";
import { makeToken, makeWorkspace } from "../helpers/fixtures";
import { type RunningServer, startServer } from "../helpers/server";

const CANARY = `CANARY-cli-${randomUUID()}`;
let server: RunningServer;
let ws: string;
let workloadId: string;
let workloadName: string;
let token: string;
let owner: Awaited<ReturnType<typeof makeWorkspace>>["owner"];
let privateWorkloadId: string;
let adminsToken: string;
let userToken: string;
let workspaceToken: string;
const PRIVATE_CANARY = `CANARY-private-${randomUUID()}`;
// Values that a careless quoting would break or run: quotes, $, backticks, a command substitution,
// backslashes, a comment sign, line breaks, leading and trailing spaces. SAFE holds no single quote
// (dotenv writes it single-quoted); QUOTED does (dotenv double-quotes it).
const SAFE = ` ${CANARY}-safe "dq" $HOME \${HOME} \`id\` $(touch /tmp/tessera-pwned) \\n \\ #hash\nsecond line\t `;
const QUOTED = `it's ${CANARY}-quoted "dq" \\ back\nline2`;
let envWorkloadId: string;
let envWorkloadName: string;
let envToken: string;

const sha = (v: string) => createHash("sha256").update(v).digest("hex");

async function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  const r = await runCli(args, { env: isolatedEnv({ TESSERA_URL: server.url, TESSERA_TOKEN: token, ...env }) });
  // A server error: its log lines (errors only) go with the verdict, so that a failure says why.
  if (r.stderr.includes("went wrong on our side")) r.stderr += `\nserver errors:\n${server.output().split("\n").filter((l) => /"level":(50|60)/.test(l)).join("\n")}`;
  return r;
}

/** Runs `script` in bash with `input` on stdin; prints only hashes, never a value. */
function bash(script: string, input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn("bash", ["-c", script], { env: { PATH: process.env.PATH, HOME: "/nonexistent-home", NODE_ENV: "test" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

// The command the workload runs: prints the secret whole, split over two writes, on stderr too,
// and proves it got the real value (its hash), the literal, and that the token was not passed on.
const SCRIPT = `
const v = process.env.MODEL_KEY;
process.stdout.write("key=" + v + "\\n");
process.stdout.write("split=" + v.slice(0, 9));
setTimeout(() => {
  process.stdout.write(v.slice(9) + "\\n");
  process.stderr.write("warning: leaked " + v + "\\n");
  process.stdout.write("sha=" + require("node:crypto").createHash("sha256").update(v).digest("hex") + "\\n");
  process.stdout.write("mode=" + process.env.MODE + " token=" + (process.env.TESSERA_TOKEN ? "present" : "absent") + "\\n");
  process.exit(7);
}, 100);
`;

beforeAll(async () => {
  const w = await makeWorkspace({ active: true, roles: ["admin"] });
  ws = w.workspace.id;
  owner = w.owner;
  const secret = await createSecret(owner, ws, { name: "model-key", value: CANARY, visibility: "public" });
  workloadName = `cli-${randomUUID().slice(0, 8)}`;
  const workload = await createWorkload(owner, ws, { name: workloadName, kind: "job", bindings: [{ envName: "MODEL_KEY", secretId: secret.secret.id }, { envName: "MODE", value: "production" }] });
  workloadId = workload.id;
  token = (await makeToken(owner, ws, { kind: "workload", workloadId })).value;
  // The owner's private secret on a workload whose token an admin minted: left out, with a warning (H1).
  const priv = await createSecret(owner, ws, { name: "owners-own", value: PRIVATE_CANARY });
  privateWorkloadId = (await createWorkload(owner, ws, { name: `cli-p-${randomUUID().slice(0, 8)}`, kind: "job", bindings: [{ envName: "PRIV", secretId: priv.secret.id }, { envName: "MODE", value: "p" }] })).id;
  adminsToken = (await makeToken(w.members.admin!, ws, { kind: "workload", workloadId: privateWorkloadId })).value;
  userToken = (await makeToken(owner, ws, { name: "owner laptop" })).value;
  workspaceToken = (await makeToken(owner, ws, { kind: "workspace", role: "admin", name: "ci" })).value;
  // For env: values that need quoting.
  const safe = await createSecret(owner, ws, { name: "safe", value: SAFE, visibility: "public" });
  const quoted = await createSecret(owner, ws, { name: "quoted", value: QUOTED, visibility: "public" });
  envWorkloadName = `llama-serve-${randomUUID().slice(0, 8)}`;
  envWorkloadId = (
    await createWorkload(owner, ws, {
      name: envWorkloadName,
      kind: "endpoint",
      bindings: [
        { envName: "SAFE", secretId: safe.secret.id },
        { envName: "QUOTED", secretId: quoted.secret.id },
        { envName: "MODE", value: "production" },
      ],
    })
  ).id;
  envToken = (await makeToken(owner, ws, { kind: "workload", workloadId: envWorkloadId })).value;
  await closeDb();
  server = await startServer({
    DATABASE_URL: process.env.DATABASE_URL!,
    TESSERA_AUTH_SECRET: process.env.TESSERA_AUTH_SECRET!,
    TESSERA_MASTER_KEY: process.env.TESSERA_MASTER_KEY!,
    TESSERA_DATA_DIR: process.env.TESSERA_DATA_DIR!,
    TESSERA_LOG_LEVEL: "trace",
  });
}, 300_000);

afterAll(async () => {
  await server?.stop();
});

// Each CLI start takes about 2 s, much more on a loaded machine: only the hang guard
// (tests/helpers/hang-guard.ts) limits a test, so the verdict does not depend on how busy the machine is.
describe("tessera run", () => {
  it("SEC-15: starts the command with the workload's environment and redacts secret values from its output", async () => {
    const r = await cli(["run", "--workspace", ws, "--workload", workloadId, "--", process.execPath, "-e", SCRIPT]);
    expect(r.code).toBe(7);
    expect(r.stdout).toContain("key=[redacted:MODEL_KEY]\n");
    expect(r.stdout).toContain("split=[redacted:MODEL_KEY]\n");
    expect(r.stdout).toContain(`sha=${sha(CANARY)}\n`);
    expect(r.stdout).toContain("mode=production token=absent\n");
    expect(r.stderr).toContain("warning: leaked [redacted:MODEL_KEY]\n");
    for (const out of [r.stdout, r.stderr, server.output()]) {
      expect(out).not.toContain(CANARY);
      expect(out).not.toContain(CANARY.slice(12));
      expect(out).not.toContain(token);
    }
    // Audited: the credential and the resolution, by the workload token.
    const events = (await listAuditEvents(owner, ws, { action: "workload.", limit: 20 })).data.map((e) => `${e.action}:${e.actorId}`);
    expect(events).toEqual(expect.arrayContaining([expect.stringMatching(/^workload\.credential\.issue:/), expect.stringMatching(/^workload\.env\.resolve:/)]));
  });

  it("takes the workload by name, and the workspace from the token (or the old TESSERA_WORKSPACE_ID / TESSERA_WORKLOAD_ID)", async () => {
    const script = 'process.stdout.write("sha=" + require("node:crypto").createHash("sha256").update(process.env.MODEL_KEY).digest("hex") + "\\n"); process.exit(3)';
    const byName = await cli(["run", "--workload", workloadName, "--", process.execPath, "-e", script]);
    expect(byName.code, byName.stderr).toBe(3);
    expect(byName.stdout).toBe(`sha=${sha(CANARY)}\n`);
    const fromEnv = await cli(["run", "--", process.execPath, "-e", script], { TESSERA_WORKSPACE_ID: ws, TESSERA_WORKLOAD_ID: workloadId });
    expect(fromEnv.code, fromEnv.stderr).toBe(3);
    expect(fromEnv.stdout).toBe(`sha=${sha(CANARY)}\n`);
    for (const out of [byName.stdout, byName.stderr, fromEnv.stderr]) expect(out).not.toContain(CANARY);
  });

  it("says which variables were left out, and why; the command does not get them", async () => {
    const script = 'process.stdout.write("priv=" + (process.env.PRIV ?? "unset") + " mode=" + process.env.MODE + "\\n")';
    const r = await cli(["run", "--workspace", ws, "--workload", privateWorkloadId, "--", process.execPath, "-e", script], { TESSERA_TOKEN: adminsToken });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("priv=unset mode=p\n");
    expect(r.stderr).toMatch(/^tessera: warning: PRIV left out: it comes from a private secret, which opens only for a workload token that the secret's creator minted/);
    const j = await cli(["run", "--json", "--workspace", ws, "--workload", privateWorkloadId, "--", "true"], { TESSERA_TOKEN: adminsToken });
    expect(JSON.parse(j.stderr.trim().split("\n")[0]!)).toMatchObject({ variables: ["MODE"], withheld: [{ envName: "PRIV", reason: "private_secret" }] });
    for (const out of [r.stdout, r.stderr, j.stderr, server.output()]) expect(out).not.toContain(PRIVATE_CANARY);
  });

  it("--json tells what it set (names only); help, usage and API errors are clear, with their exit codes", async () => {
    const j = await cli(["run", "--json", "--workspace", ws, "--workload", workloadId, "--", process.execPath, "-e", "process.exit(0)"]);
    expect(j.code).toBe(0);
    const line = JSON.parse(j.stderr.trim().split("\n")[0]!);
    expect(line).toMatchObject({ workspaceId: ws, workloadId, workloadName, variables: ["MODE", "MODEL_KEY"], redacted: ["MODEL_KEY"] });
    expect(new Date(line.credentialExpiresAt).getTime() - Date.now()).toBeLessThanOrEqual(15 * 60 * 1000);
    expect(j.stderr).not.toContain(CANARY);

    const help = await cli(["run", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: tessera run --workload <name\|id> \[options\] -- <command> \[args\.\.\.\]/);
    expect((await cli([])).stdout).toMatch(/Commands:\n(.*\n)* {2}run \[options\] \[command\.\.\.\] +Start a command/);

    const other = "c".repeat(25);
    const cases: [string[], Record<string, string | undefined>, number, RegExp][] = [
      [["run", "--workspace", ws, "--workload", workloadId, "--", "true"], { TESSERA_TOKEN: undefined }, 2, /set TESSERA_TOKEN/],
      [["run", "--workspace", ws, "--", "true"], {}, 2, /--workload <name\|id> is required/],
      [["run", "--workspace", ws, "--workload", workloadId], {}, 2, /give the command to run after --/],
      [["run", "--workspace", ws, "--workload", workloadId, "--bogus", "--", "true"], {}, 2, /bogus/],
      [["deploy"], {}, 2, /unknown command 'deploy'/],
      [["run", "--workspace", ws, "--workload", workloadId, "--", "true"], { TESSERA_TOKEN: "tsr_wkl_not-a-token" }, 3, /^tessera: the server refused TESSERA_TOKEN: The bearer token is malformed\n$/],
      [["run", "--workspace", ws, "--workload", other, "--", "true"], {}, 2, new RegExp(`^tessera: this token belongs to workload "${workloadName}" \\(${workloadId}\\), not "${other}"\\n$`)],
      [["run", "--workload", "nope", "--", "true"], {}, 2, /^tessera: this token belongs to workload "cli-[^"]+" \(\w+\), not "nope"\n$/],
      [["run", "--workspace", other, "--workload", workloadId, "--", "true"], {}, 2, /^tessera: this token belongs to workspace "Acme" \(\w+\), not c+\n$/],
      [["run", "--workload", workloadName, "--", "true"], { TESSERA_TOKEN: userToken }, 3, /^tessera: tessera run takes a workload token .*this is a user token: people never get secret values/],
      [["run", "--workload", workloadName, "--", "true"], { TESSERA_TOKEN: workspaceToken }, 3, /this is a workspace token/],
      [["run", "--workspace", ws, "--workload", workloadId, "--", "true"], { TESSERA_URL: "http://127.0.0.1:9" }, 7, /Cannot reach Tessera at http:\/\/127\.0\.0\.1:9/],
      [["run", "--workspace", ws, "--workload", workloadId, "--", "no-such-command-xyz"], {}, 127, /cannot start no-such-command-xyz: command not found/],
    ];
    for (const [args, env, code, message] of cases) {
      const r = await cli(args, env);
      expect(r.code, args.join(" ")).toBe(code);
      expect(r.stderr, args.join(" ")).toMatch(message);
      expect(r.stderr).not.toContain(CANARY);
      expect(r.stdout, args.join(" ")).toBe("");
      for (const t of [token, userToken, workspaceToken]) expect(r.stderr).not.toContain(t);
    }
  });

  it("a command killed by a signal exits 128 + its number", async () => {
    const r = await cli(["run", "--workload", workloadId, "--", process.execPath, "-e", 'process.kill(process.pid, "SIGTERM")']);
    expect(r.code).toBe(128 + 15);
  });
});

describe("tessera env", () => {
  const run = (args: string[], env: Record<string, string | undefined> = {}) => cli(["env", "--workload", envWorkloadName, ...args], { TESSERA_TOKEN: envToken, ...env });
  const expected = { MODE: "production", QUOTED, SAFE };

  it("dotenv: one line per variable; single-quoted values, or double-quoted with escapes for a quote or a line break; bash and secrets import read them back exactly", async () => {
    const r = await run(["--format", "dotenv"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe("");
    // One line per variable: a line break inside a value cannot make a line-based reader see another variable.
    expect(r.stdout.split("\n").filter(Boolean).map((l) => /^([A-Z_]+)=/.exec(l)?.[1])).toEqual(["MODE", "QUOTED", "SAFE"]);
    expect(r.stdout.startsWith("MODE='production'\nQUOTED=\"")).toBe(true);
    // The double-quoted form: \\, \", \$, \` and the line breaks escaped, nothing else (compared whole, never printed).
    const dq = (v: string) => `"${v.replace(/[\\"$`]/g, (c) => `\\${c}`).replace(/\n/g, "\\n").replace(/\r/g, "\\r")}"`;
    expect(r.stdout.includes(`QUOTED=${dq(QUOTED)}\n`)).toBe(true);
    expect(r.stdout.includes(`SAFE=${dq(SAFE)}\n`)).toBe(true);
    // Sourced by bash as it is, nothing expands and no command runs; values without a line break read back exactly
    // (bash keeps \n as two characters: dotenv readers turn it into a line break).
    const b = await bash('set -a; eval "$(cat)"; printf "%s" "$SAFE" | sha256sum; printf "%s" "$MODE" | sha256sum', r.stdout);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stdout).toBe(`${sha(SAFE.replace(/\n/g, "\\n"))}  -\n${sha("production")}  -\n`);
    expect(existsSync("/tmp/tessera-pwned")).toBe(false);
    // The CLI's own dotenv reader (secrets import) gets every value back exactly.
    const { parseDotenv } = await import("@/lib/secrets/dotenv");
    const parsed = parseDotenv(r.stdout);
    expect(parsed.errors).toEqual([]);
    expect(Object.fromEntries(parsed.entries.map((e) => [e.key, e.value]))).toEqual(expected);
  });

  it("shell: export lines that eval sets exactly, whatever the value holds", async () => {
    const r = await run(["--format", "shell"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split("\n").filter(Boolean).every((l) => /^export [A-Z_]+='/.test(l) || !/^export /.test(l))).toBe(true);
    const b = await bash('set -eu; eval "$(cat)"; for v in SAFE QUOTED MODE; do printf "%s" "${!v}" | sha256sum; done; [ ! -e /tmp/tessera-pwned ]', r.stdout);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stdout).toBe([SAFE, QUOTED, "production"].map((v) => `${sha(v)}  -\n`).join(""));
  });

  it("json: one object of the variables", async () => {
    const r = await run(["--format", "json"]);
    expect(r.code, r.stderr).toBe(0);
    const parsed = JSON.parse(r.stdout) as Record<string, string>;
    expect(Object.keys(parsed)).toEqual(["MODE", "QUOTED", "SAFE"]);
    expect(Object.entries(parsed).every(([k, v]) => v === expected[k as keyof typeof expected])).toBe(true);
  });

  it("k8s-secret: a valid v1 Secret, named after the workload or --name, every value base64", async () => {
    const r = await run(["--format", "k8s-secret"]);
    expect(r.code, r.stderr).toBe(0);
    const doc = parseYaml(r.stdout) as { apiVersion: string; kind: string; type: string; metadata: { name: string; namespace?: string; labels: Record<string, string> }; data: Record<string, string> };
    expect(doc).toMatchObject({ apiVersion: "v1", kind: "Secret", type: "Opaque" });
    expect(doc.metadata.name).toBe(envWorkloadName);
    expect(doc.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(doc.metadata.namespace).toBeUndefined();
    expect(Object.keys(doc.data).sort()).toEqual(["MODE", "QUOTED", "SAFE"]);
    expect(Object.entries(doc.data).every(([k, v]) => Buffer.from(v, "base64").toString("utf8") === expected[k as keyof typeof expected])).toBe(true);
    // Values appear only base64-encoded.
    expect(r.stdout).not.toContain(CANARY);

    const named = await run(["--format", "k8s-secret", "--name", "llama.env", "--namespace", "ml-prod"]);
    expect(named.code, named.stderr).toBe(0);
    expect((parseYaml(named.stdout) as { metadata: object }).metadata).toMatchObject({ name: "llama.env", namespace: "ml-prod" });
    for (const [args, message] of [
      [["--format", "k8s-secret", "--name", "Bad_Name"], /--name must be a DNS-1123 name/],
      [["--format", "k8s-secret", "--namespace", "a.b"], /--namespace must be a DNS-1123 label/],
      [["--format", "dotenv", "--name", "x"], /--name and --namespace go with --format k8s-secret/],
      [["--format", "xml"], /xml/],
    ] as const) {
      const bad = await run([...args]);
      expect(bad.code, args.join(" ")).toBe(2);
      expect(bad.stderr).toMatch(message);
      expect(bad.stdout).toBe("");
    }
  });

  it("writes to a file readable by its owner only; warns about variables left out; refuses people's tokens and another workload", async () => {
    const env = isolatedEnv({ TESSERA_URL: server.url, TESSERA_TOKEN: envToken });
    const file = path.join(env.HOME!, "workload.env");
    const r = await runCli(["env", "--workload", envWorkloadId, "-o", file], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe("");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8")).toBe((await run([])).stdout);

    const withheld = await cli(["env", "--workload", privateWorkloadId, "--format", "json"], { TESSERA_TOKEN: adminsToken });
    expect(withheld.code).toBe(0);
    expect(JSON.parse(withheld.stdout)).toEqual({ MODE: "p" });
    expect(withheld.stderr).toMatch(/^tessera: warning: PRIV left out: it comes from a private secret/);

    for (const [t, kind] of [
      [userToken, "user"],
      [workspaceToken, "workspace"],
    ] as const) {
      const refused = await run(["--format", "json"], { TESSERA_TOKEN: t });
      expect(refused.code).toBe(3);
      expect(refused.stdout).toBe("");
      expect(refused.stderr).toMatch(new RegExp(`^tessera: tessera env takes a workload token .*this is a ${kind} token`));
    }
    const wrong = await cli(["env", "--workload", workloadName], { TESSERA_TOKEN: envToken });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/^tessera: this token belongs to workload "llama-serve-[^"]+" \(\w+\), not "cli-/);
    expect(wrong.stdout).toBe("");
    expect(server.output()).not.toContain(CANARY);
  });
});
