// The CLI's tokens, secrets and workloads commands against the production server, as a user runs
// them (a child process, its own HOME and config file): log in, make a workspace token, secrets
// from stdin, a file and a .env import, a workload with variables bound by name; confirmations,
// exit codes (usage 2, auth 3, forbidden 4, not found 5, conflict 6); and no secret value in any
// output, no token value but in its own creation output. Run by cli-resources.test.ts.
import { randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/lib/db/client";
import { isolatedEnv, runCli, type CliResult } from "../helpers/cli";
import { makeToken, makeWorkspace } from "../helpers/fixtures";
import { startFileServer, type RunningServer } from "../helpers/server";

type Run = CliResult & { args: string[] };
type Opts = { input?: string; env?: Record<string, string | undefined> };

export function cliResourcesSuite(opts: { skip?: boolean } = {}) {
  const canary = (what: string) => `CANARY-${what}-${randomUUID()}`;
  const VALUES = {
    stdin: canary("stdin"),
    file: canary("file"),
    replaced: canary("replaced"),
    importA: canary("import-a"),
    importB: canary("import-b"),
    importA2: canary("import-a2"),
    importNew: canary("import-new"),
    bad: canary("bad-line"),
    wrong: canary("wrong"),
  };
  const tokenValues: Record<string, string> = {};
  /** Where each token value may appear: its own creation's run. */
  const creationRuns = new Map<Run, string>();
  const runs: Run[] = [];
  const dir = mkdtempSync(path.join(tmpdir(), "tessera-cli-resources-"));
  let server: RunningServer;
  let env: Record<string, string | undefined>;
  let userToken: string;

  async function cli(args: string[], o: Opts = {}): Promise<Run> {
    const r = { args, ...(await runCli(args, { env: { ...env, ...o.env }, input: o.input })) };
    runs.push(r);
    return r;
  }
  /** A run that must succeed; its stdout parsed when --json. */
  async function ok(args: string[], o: Opts = {}): Promise<Run> {
    const r = await cli(args, o);
    expect(r.code, `${args.join(" ")}\n${r.stderr}`).toBe(0);
    return r;
  }
  const jsonOf = async <T = Record<string, unknown>>(args: string[], o: Opts = {}): Promise<T> => JSON.parse((await ok([...args, "--json"], o)).stdout) as T;
  async function fails(args: string[], code: number, message?: RegExp, o: Opts = {}): Promise<Run> {
    const r = await cli(args, o);
    expect(r.code, `${args.join(" ")}\n${r.stdout}\n${r.stderr}`).toBe(code);
    expect(r.stderr.trim().split("\n").at(-1), args.join(" ")).toMatch(/^tessera: /);
    if (message) expect(r.stderr, args.join(" ")).toMatch(message);
    return r;
  }
  const file = (name: string, text: string) => {
    const p = path.join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  type Secret = { id: string; name: string; envName: string | null; visibility: string; version: number };
  const secretNames = async () => (await jsonOf<Secret[]>(["secrets", "list"])).map((s) => s.name).sort();

  describe.skipIf(opts.skip)("tessera tokens, secrets and workloads", { timeout: 600_000 }, () => {
    beforeAll(async () => {
      const w = await makeWorkspace({ active: true });
      userToken = (await makeToken(w.owner, w.workspace.id, { name: "laptop" })).value;
      await closeDb();
      // As talkative as the server gets: the secrecy checks read all of it.
      server = await startFileServer("cli-resources", { TESSERA_LOG_LEVEL: "trace" });
      env = isolatedEnv({ TESSERA_URL: server.url });
      await ok(["login", "--token-stdin"], { input: userToken });
    }, 300_000);

    afterAll(async () => {
      await server?.stop();
    });

    it("tokens: create (the value once, on stdout), list, info, renew, rename, cancel and delete, with confirmations", async () => {
      const created = await ok(["tokens", "create", "ci-deploy", "--role", "admin", "--expires-in-days", "7"]);
      expect(created.stdout).toMatch(/^tsr_[a-z]+_\S+\n$/);
      const ci = created.stdout.trim();
      tokenValues.ci = ci;
      creationRuns.set(created, ci);
      expect(created.stderr).toMatch(/Created workspace token "ci-deploy" .*role admin/);
      expect(created.stderr).toContain("will not be shown again");

      const ro = await ok(["tokens", "create", "read-only", "--scopes", "read", "--json"]);
      const roToken = JSON.parse(ro.stdout) as { id: string; value: string; kind: string; scopes: string[] };
      expect(roToken).toMatchObject({ kind: "workspace", scopes: ["read"] });
      tokenValues.ro = roToken.value;
      creationRuns.set(ro, roToken.value);

      const list = await jsonOf<{ id: string; name: string; kind: string; role: string | null }[]>(["tokens", "list"]);
      expect(list.map((t) => t.name)).toEqual(expect.arrayContaining(["ci-deploy", "read-only", "laptop"]));
      expect(list.every((t) => !("value" in t))).toBe(true);
      const ciId = list.find((t) => t.name === "ci-deploy")!.id;
      const table = await ok(["tokens", "list"]);
      expect(table.stdout).toMatch(/^NAME\s+KIND\s+ROLE\/WORKLOAD\s+SCOPES\s+STATUS\s+LAST USED\s+ID\n/);
      expect(table.stdout).toMatch(/ci-deploy\s+workspace\s+admin\s+full\s+expires in 7 d\s+never\s+\w+/);

      // info by name and by id; renew; rename.
      expect((await ok(["tokens", "info", "ci-deploy"])).stdout).toMatch(/Kind:\s+workspace\n[\s\S]*Acts as:\s+admin/);
      expect(await jsonOf(["tokens", "info", ciId])).toMatchObject({ id: ciId, name: "ci-deploy", status: "active" });
      const renewed = await jsonOf<{ expiresAt: string }>(["tokens", "renew", "ci-deploy", "--expires-in-days", "30"]);
      expect(new Date(renewed.expiresAt).getTime() - Date.now()).toBeGreaterThan(29 * 86_400_000);
      await ok(["tokens", "rename", ciId, "ci-deploy-2", "--description", "deploys the endpoints"]);
      expect(await jsonOf(["tokens", "info", ciId])).toMatchObject({ name: "ci-deploy-2", description: "deploys the endpoints" });

      // The new token works; the read-only one may read but not write (403: exit 4).
      expect((await ok(["workloads", "list", "--json"], { env: { TESSERA_TOKEN: ci } })).stdout.trim()).toBe("[]");
      await ok(["secrets", "list"], { env: { TESSERA_TOKEN: roToken.value } });
      await fails(["workloads", "create", "nope", "--kind", "job"], 4, undefined, { env: { TESSERA_TOKEN: roToken.value } });

      // cancel: refused without a terminal unless --yes (exit 2, nothing changed); then for good.
      await fails(["tokens", "cancel", "ci-deploy-2"], 2, /add --yes/);
      expect(await jsonOf(["tokens", "info", ciId])).toMatchObject({ status: "active" });
      await ok(["tokens", "cancel", "ci-deploy-2", "--yes"]);
      expect(await jsonOf(["tokens", "info", ciId])).toMatchObject({ status: "cancelled" });
      expect((await ok(["tokens", "list"])).stdout).toMatch(/ci-deploy-2\s+workspace\s+admin\s+full\s+cancelled/);
      await fails(["workloads", "list"], 3, undefined, { env: { TESSERA_TOKEN: ci } });

      // delete: the same confirmation; then gone (404 from the server: exit 5).
      await fails(["tokens", "delete", roToken.id], 2, /add --yes/);
      await ok(["tokens", "delete", roToken.id, "--yes"]);
      await fails(["tokens", "info", roToken.id], 5, /not found/i);
      await fails(["tokens", "info", "no-such-token"], 5, /no token named "no-such-token"/);
      await fails(["secrets", "list"], 3, undefined, { env: { TESSERA_TOKEN: roToken.value } });
    });

    it("secrets: values from stdin, a file or a .env import, never an argument; check, replace, rename, update, rm", async () => {
      // No --value flag: a value never comes from an argument.
      await fails(["secrets", "create", "argv-secret", "--value", VALUES.wrong], 2, /unknown option '--value'/);
      await fails(["secrets", "create", "empty-secret"], 2, /the value is empty/);

      const fromStdin = await ok(["secrets", "create", "stdin-secret", "--visibility", "public", "--stdin"], { input: `${VALUES.stdin}\n` });
      expect(fromStdin.stderr).toMatch(/Created public secret "stdin-secret", version 1/);
      const valueFile = file("value.txt", `${VALUES.file}\n`);
      await ok(["secrets", "create", "file-secret", "--file", valueFile, "--env-name", "FILE_SECRET"]);
      await fails(["secrets", "create", "missing-file", "--file", path.join(dir, "nope.txt")], 2, /no such file/);
      await fails(["secrets", "create", "stdin-secret"], 6, undefined, { input: VALUES.wrong });

      const list = await jsonOf<Secret[]>(["secrets", "list"]);
      expect(list.map((s) => [s.name, s.visibility, s.version])).toEqual([
        ["file-secret", "private", 1],
        ["stdin-secret", "public", 1],
      ]);
      expect((await ok(["secrets", "list"])).stdout).toMatch(/file-secret\s+FILE_SECRET\s+private\s+custom\s+1\s+-/);
      expect((await ok(["secrets", "info", "file-secret"])).stdout).toMatch(/Variable:\s+FILE_SECRET\n[\s\S]*Visibility:\s+private/);

      // check: the value read the same ways; exit 0 on a match, 1 otherwise.
      const match = await ok(["secrets", "check", "stdin-secret"], { input: VALUES.stdin });
      expect(match.stdout).toBe("match\n");
      const noMatch = await cli(["secrets", "check", "stdin-secret", "--stdin"], { input: VALUES.wrong });
      expect([noMatch.code, noMatch.stdout]).toEqual([1, "no match\n"]);
      expect(await jsonOf(["secrets", "check", "file-secret", "--file", valueFile])).toEqual({ secret: { id: list[0]!.id, name: "file-secret" }, match: true });

      // replace, rename and settings.
      expect((await ok(["secrets", "replace", "file-secret"], { input: VALUES.replaced })).stderr).toMatch(/now version 2/);
      expect((await ok(["secrets", "check", "file-secret"], { input: VALUES.replaced })).stdout).toBe("match\n");
      await ok(["secrets", "rename", "file-secret", "renamed-secret"]);
      const later = new Date(Date.now() + 30 * 86_400_000).toISOString();
      await fails(["secrets", "update", "renamed-secret"], 2, /nothing to change/);
      await ok(["secrets", "update", "renamed-secret", "--env-name", "RENAMED", "--expires-at", later]);
      expect(await jsonOf(["secrets", "info", list[0]!.id])).toMatchObject({ name: "renamed-secret", envName: "RENAMED", version: 3, expiresAt: later });
      await ok(["secrets", "update", "renamed-secret", "--expires-at", "none"]);
      expect(await jsonOf(["secrets", "info", "renamed-secret"])).toMatchObject({ expiresAt: null });

      // import: a file with bad lines changes nothing, and says where.
      const bad = file("bad.env", [`GOOD_ONE=${VALUES.bad}`, `${VALUES.bad}`, `9LIVES=${VALUES.bad}`, `OPEN="${VALUES.bad}`].join("\n"));
      const refused = await fails(["secrets", "import", bad], 2, /3 bad lines; nothing was imported/);
      expect(refused.stderr).toMatch(/bad\.env:2: not a KEY=VALUE line\n/);
      expect(refused.stderr).toMatch(/bad\.env:3: the name before = is not a variable name/);
      expect(refused.stderr).toMatch(/bad\.env:4: the value's double quote is never closed/);
      expect(await secretNames()).toEqual(["renamed-secret", "stdin-secret"]);

      const first = file(".env", ["# the app", `export HF_TOKEN="${VALUES.importA}"`, "", `DB_PASSWORD='${VALUES.importB}' # local`].join("\n"));
      const imported = await ok(["secrets", "import", first]);
      expect(imported.stderr).toMatch(/created\s+HF_TOKEN \(private, as \$HF_TOKEN\)\n\s+created\s+DB_PASSWORD/);
      expect(imported.stderr).toMatch(/2 created, 0 replaced, 0 skipped/);
      const second = file("second.env", [`HF_TOKEN=${VALUES.importA2}`, `NEW_ONE=${VALUES.importNew}`].join("\n"));
      expect(await jsonOf(["secrets", "import", second, "--visibility", "public"])).toEqual({ created: ["NEW_ONE"], replaced: ["HF_TOKEN"], skipped: [] });
      expect(await jsonOf(["secrets", "import", second, "--no-replace"])).toEqual({ created: [], replaced: [], skipped: ["HF_TOKEN", "NEW_ONE"] });
      expect(await jsonOf(["secrets", "info", "HF_TOKEN"])).toMatchObject({ envName: "HF_TOKEN", visibility: "private", version: 2 });
      expect(await jsonOf(["secrets", "info", "NEW_ONE"])).toMatchObject({ envName: "NEW_ONE", visibility: "public", version: 1 });
      expect((await ok(["secrets", "check", "HF_TOKEN"], { input: VALUES.importA2 })).stdout).toBe("match\n");
      expect((await ok(["secrets", "check", "DB_PASSWORD"], { input: VALUES.importB })).stdout).toBe("match\n");

      // rm: refused without a terminal unless --yes; not found afterwards.
      await fails(["secrets", "rm", "DB_PASSWORD"], 2, /refusing without a terminal/);
      expect(await secretNames()).toContain("DB_PASSWORD");
      await ok(["secrets", "rm", "DB_PASSWORD", "--yes"]);
      expect(await secretNames()).not.toContain("DB_PASSWORD");
      await fails(["secrets", "info", "DB_PASSWORD"], 5, /no secret named "DB_PASSWORD"/);
    });

    it("workloads: create with variables, bind and unbind by name, a token assigned, delete with confirmation", async () => {
      const w = await jsonOf<{ id: string; bindings: { envName: string }[] }>(["workloads", "create", "llama-serve", "--kind", "endpoint", "--env", "MODE=prod", "--env-secret", "HF_TOKEN=HF_TOKEN"]);
      expect(w.bindings.map((b) => b.envName).sort()).toEqual(["HF_TOKEN", "MODE"]);
      await ok(["workloads", "bind", "llama-serve", "API_KEY", "--secret", "stdin-secret"]);
      expect((await ok(["workloads", "bind", w.id, "MODE", "--value", "staging"])).stderr).toMatch(/Changed MODE of "llama-serve": a literal value/);
      await fails(["workloads", "bind", "llama-serve", "X"], 2, /give --secret <name\|id> or --value <text>/);
      await fails(["workloads", "bind", "llama-serve", "X", "--secret", "no-such-secret"], 5, /no secret named "no-such-secret"/);
      await fails(["workloads", "bind", "no-such-workload", "X", "--value", "1"], 5, /no workload named "no-such-workload"/);
      const info = await ok(["workloads", "info", "llama-serve"]);
      expect(info.stdout).toMatch(/API_KEY\s+secret stdin-secret \(public\)\n/);
      expect(info.stdout).toMatch(/MODE\s+value "staging"\n/);
      await ok(["workloads", "unbind", "llama-serve", "HF_TOKEN"]);
      await fails(["workloads", "unbind", "llama-serve", "HF_TOKEN"], 5, /has no variable HF_TOKEN/);
      const after = await jsonOf<{ bindings: { envName: string; value: string | null; secret: { name: string } | null }[] }>(["workloads", "info", "llama-serve"]);
      expect(after.bindings.map((b) => [b.envName, b.value, b.secret?.name ?? null]).sort()).toEqual([
        ["API_KEY", null, "stdin-secret"],
        ["MODE", "staging", null],
      ]);
      await ok(["workloads", "update", "llama-serve", "--description", "Llama 3.1 8B"]);

      // A workload token, made for the workload by name; unassigned and assigned again.
      const runner = await ok(["tokens", "create", "runner", "--workload", "llama-serve"]);
      tokenValues.runner = runner.stdout.trim();
      creationRuns.set(runner, tokenValues.runner);
      expect(runner.stderr).toMatch(/Created workload token "runner" .*workload llama-serve/);
      expect((await ok(["tokens", "list"])).stdout).toMatch(/runner\s+workload\s+workload llama-serve\s+full/);
      await ok(["tokens", "assign", "runner", "--none"]);
      expect((await ok(["tokens", "list"])).stdout).toMatch(/runner\s+workload\s+unassigned/);
      await fails(["tokens", "assign", "runner"], 2, /or --none/);
      await ok(["tokens", "assign", "runner", "llama-serve"]);
      expect(await jsonOf(["tokens", "info", "runner"])).toMatchObject({ workloadId: w.id });

      // A secret in use is not deleted (409: exit 6).
      await fails(["secrets", "rm", "stdin-secret", "--yes"], 6, /llama-serve/);

      await fails(["workloads", "delete", "llama-serve"], 2, /add --yes/);
      expect((await ok(["workloads", "delete", "llama-serve", "--yes"])).stderr).toMatch(/Deleted workload "llama-serve"; 1 workload token cancelled/);
      await fails(["workloads", "info", "llama-serve"], 5);
      expect(await jsonOf(["tokens", "info", "runner"])).toMatchObject({ status: "cancelled" });
      await ok(["secrets", "rm", "stdin-secret", "--yes"]);
    });

    it("usage errors exit 2; no secret value in any output, a token value only in its own creation", async () => {
      await fails(["tokens", "list", "--bogus"], 2, /unknown option '--bogus'/);
      await fails(["secrets", "frobnicate"], 2);
      await fails(["workloads", "create", "x"], 2, /--kind/);
      await fails(["tokens", "create", "x", "--kind", "robot"], 2, /robot/);

      expect(runs.length).toBeGreaterThan(60);
      const secrets = Object.values(VALUES);
      for (const r of runs) {
        const out = `${r.stdout}\n${r.stderr}`;
        for (const v of secrets) {
          expect(out, r.args.join(" ")).not.toContain(v);
          expect(out, r.args.join(" ")).not.toContain(v.slice(-12));
        }
        expect(out).not.toContain(userToken);
        for (const value of Object.values(tokenValues)) {
          if (creationRuns.get(r) === value) expect(r.stderr).not.toContain(value);
          else expect(out, r.args.join(" ")).not.toContain(value);
        }
      }
      for (const v of [...secrets, ...Object.values(tokenValues), userToken]) expect(server.output()).not.toContain(v);
    });
  });
}
