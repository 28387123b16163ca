// `tessera run` as a user runs it, against the production server: the workload token is exchanged
// for a short-lived credential (SEC-14), the command gets the resolved environment (and not the
// token), and its captured output has every secret value redacted (SEC-15). Exit codes pass through.
import { spawn } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/lib/db/client";
import { listAuditEvents } from "@/lib/services/audit";
import { createSecret } from "@/lib/services/secrets";
import { createWorkload } from "@/lib/services/workloads";
import { makeToken, makeWorkspace } from "../helpers/fixtures";
import { ROOT, startServer, type RunningServer } from "../helpers/server";

const CANARY = `CANARY-cli-${randomUUID()}`;
const CLI = path.join(ROOT, "lib/cli/main.ts");
let server: RunningServer;
let ws: string;
let workloadId: string;
let token: string;
let owner: Awaited<ReturnType<typeof makeWorkspace>>["owner"];
let privateWorkloadId: string;
let adminsToken: string;
const PRIVATE_CANARY = `CANARY-private-${randomUUID()}`;

function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const base: Record<string, string | undefined> = { PATH: process.env.PATH, HOME: process.env.HOME, TESSERA_URL: server.url, TESSERA_TOKEN: token };
    const child = spawn(process.execPath, ["--import", "tsx", CLI, ...args], { cwd: ROOT, env: { ...base, ...env } as NodeJS.ProcessEnv });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
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
  const workload = await createWorkload(owner, ws, { name: `cli-${randomUUID().slice(0, 8)}`, kind: "job", bindings: [{ envName: "MODEL_KEY", secretId: secret.secret.id }, { envName: "MODE", value: "production" }] });
  workloadId = workload.id;
  token = (await makeToken(owner, ws, { kind: "workload", workloadId })).value;
  // The owner's private secret on a workload whose token an admin minted: left out, with a warning (H1).
  const priv = await createSecret(owner, ws, { name: "owners-own", value: PRIVATE_CANARY });
  privateWorkloadId = (await createWorkload(owner, ws, { name: `cli-p-${randomUUID().slice(0, 8)}`, kind: "job", bindings: [{ envName: "PRIV", secretId: priv.secret.id }, { envName: "MODE", value: "p" }] })).id;
  adminsToken = (await makeToken(w.members.admin!, ws, { kind: "workload", workloadId: privateWorkloadId })).value;
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

// Each CLI start compiles TypeScript (about 2 s, much more on a loaded machine): a generous
// timeout, so that the verdict does not depend on how busy the machine is.
describe("tessera run", { timeout: 180_000 }, () => {
  it("starts the command with the workload's environment and redacts secret values from its output", async () => {
    const r = await cli(["run", "--workspace", ws, "--workload", workloadId, "--", process.execPath, "-e", SCRIPT]);
    expect(r.code).toBe(7);
    expect(r.stdout).toContain("key=[redacted:MODEL_KEY]\n");
    expect(r.stdout).toContain("split=[redacted:MODEL_KEY]\n");
    expect(r.stdout).toContain(`sha=${createHash("sha256").update(CANARY).digest("hex")}\n`);
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
    expect(line).toMatchObject({ workloadId, variables: ["MODE", "MODEL_KEY"], redacted: ["MODEL_KEY"] });
    expect(new Date(line.credentialExpiresAt).getTime() - Date.now()).toBeLessThanOrEqual(15 * 60 * 1000);
    expect(j.stderr).not.toContain(CANARY);

    const help = await cli(["run", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: tessera run --workspace <id> --workload <id>/);
    expect((await cli([])).stdout).toMatch(/Commands:\n {2}run/);

    const cases: [string[], Record<string, string | undefined>, number, RegExp][] = [
      [["run", "--workspace", ws, "--workload", workloadId, "--", "true"], { TESSERA_TOKEN: undefined }, 2, /set TESSERA_TOKEN/],
      [["run", "--workload", workloadId, "--", "true"], {}, 2, /--workspace <id> is required/],
      [["run", "--workspace", ws, "--workload", workloadId], {}, 2, /give the command to run after --/],
      [["run", "--workspace", ws, "--workload", workloadId, "--bogus", "--", "true"], {}, 2, /bogus/],
      [["deploy"], {}, 2, /unknown command "deploy"/],
      [["run", "--workspace", ws, "--workload", workloadId, "--", "true"], { TESSERA_TOKEN: "tsr_wkl_not-a-token" }, 1, /^tessera: The bearer token is malformed\n$/],
      [["run", "--workspace", ws, "--workload", "c".repeat(25), "--", "true"], {}, 1, /^tessera: Only a workload token bound to this workload/],
      [["run", "--workspace", ws, "--workload", "nope", "--", "true"], {}, 1, /^tessera: Workload not found: the workloadId in the path is not a valid ID\n$/],
      [["run", "--workspace", ws, "--workload", workloadId, "--", "true"], { TESSERA_URL: "http://127.0.0.1:9" }, 1, /Cannot reach Tessera at http:\/\/127\.0\.0\.1:9/],
      [["run", "--workspace", ws, "--workload", workloadId, "--", "no-such-command-xyz"], {}, 127, /cannot start no-such-command-xyz: command not found/],
    ];
    for (const [args, env, code, message] of cases) {
      const r = await cli(args, env);
      expect(r.code, args.join(" ")).toBe(code);
      expect(r.stderr, args.join(" ")).toMatch(message);
      expect(r.stderr).not.toContain(CANARY);
    }
  });
});
