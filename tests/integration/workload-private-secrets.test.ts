// Security issue 12, H1: a private secret's value reaches only processes that its creator set up.
// - a workload change that keeps, moves or adds someone else's private secret is refused (403,
//   the variable named, nothing changed, audited); removing it, or deleting the workload, is not;
// - while a workload holds someone's private secret, nobody else may change its other variables;
// - a workload token that anyone but the secret's creator minted, or moved onto the workload, does
//   not open it: the env endpoint leaves it out and says so;
// - code-loading variables (PATH, LD_*, NODE_OPTIONS, …) are refused unless an admin allowed the
//   name (audited), and the env endpoint leaves out any it finds that are not allowed.
// Over every role and kind of token, through the services and the REST routes.
// L11: concurrent edits of one workload's bindings all succeed, in order (PostgreSQL and SQLite).
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { PATCH as PATCH_WORKLOAD } from "@/app/api/v1/workspaces/[workspaceId]/workloads/[workloadId]/route";
import { PUT as PUT_ENV_POLICY } from "@/app/api/v1/workspaces/[workspaceId]/workload-env-policy/route";
import type { Actor, TokenActor } from "@/lib/auth/actor";
import { checkCredentialValue } from "@/lib/auth/workload-credential";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { isLoaderVariable } from "@/lib/secrets/loader-vars";
import { listAuditEvents } from "@/lib/services/audit";
import { createSecret, replaceSecretValue } from "@/lib/services/secrets";
import { updateToken } from "@/lib/services/tokens";
import { createWorkload, deleteWorkload, getWorkload, issueWorkloadCredential, resolveWorkloadEnv, updateWorkload, type CredentialCaller } from "@/lib/services/workloads";
import { updateWorkloadEnvPolicy } from "@/lib/services/workspaces";
import { bearer, makeToken, makeWorkspace } from "../helpers/fixtures";

const code = (p: Promise<unknown>) => p.then(() => "OK", (e: unknown) => (e instanceof AppError ? e.code : (e as Error).message));
const failure = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as AppError);
const ctx = (params: Record<string, string>) => ({ params: Promise.resolve(params) });

async function envFor(actor: TokenActor) {
  const issued = await issueWorkloadCredential(actor, actor.workspaceId, actor.workloadId!);
  const checked = checkCredentialValue(issued.credential);
  if (!checked.ok) throw new Error(`credential refused: ${checked.reason}`);
  const caller: CredentialCaller = { type: "workload-credential", credential: checked.credential, meta: actor.meta };
  return resolveWorkloadEnv(caller, actor.workspaceId, actor.workloadId!);
}

/** A workspace where the owner bound her private secret PRIV to WL, next to a public secret and a literal. */
async function scene() {
  const w = await makeWorkspace({ active: true, roles: ["admin", "member", "viewer"] });
  const ws = w.workspace.id;
  const owner = w.owner;
  const priv = await createSecret(owner, ws, { name: `priv-${randomUUID().slice(0, 6)}`, value: "owner-private-value" });
  const pub = await createSecret(owner, ws, { name: `pub-${randomUUID().slice(0, 6)}`, value: "public-value", visibility: "public" });
  const wl = await createWorkload(owner, ws, {
    name: "wl",
    kind: "job",
    bindings: [
      { envName: "PRIV", secretId: priv.secret.id },
      { envName: "PUB", secretId: pub.secret.id },
      { envName: "MODE", value: "prod" },
    ],
  });
  return { ...w, ws, owner, priv: priv.secret.id, pub: pub.secret.id, wl: wl.id };
}

const bindingsOf = async (ws: string, id: string) =>
  (await db().workloadBinding.findMany({ where: { workloadId: id }, orderBy: { envName: "asc" }, select: { envName: true, secretId: true, literalValue: true } })).map((b) => ({
    envName: b.envName,
    ...(b.secretId ? { secretId: b.secretId } : { value: b.literalValue ?? "" }),
  }));

describe("H1: someone else's private secret on a workload", () => {
  it("the probe's request (keep the binding, add NODE_OPTIONS) is refused with 403 naming the variable; nothing changes; audited", async () => {
    const s = await scene();
    const member = await makeToken(s.members.member!, s.ws, { name: "member's token" });
    const before = await bindingsOf(s.ws, s.wl);
    const res = await PATCH_WORKLOAD(
      new Request(`http://t/api/v1/workspaces/${s.ws}/workloads/${s.wl}`, {
        method: "PATCH",
        headers: bearer(member.value, { "content-type": "application/json" }),
        body: JSON.stringify({
          bindings: [
            { envName: "PRIV", secretId: s.priv },
            { envName: "PUB", secretId: s.pub },
            { envName: "MODE", value: "prod" },
            { envName: "NODE_OPTIONS", value: "--import=data:text/javascript,console.error('X:'+Buffer.from(process.env.PRIV).toString('base64'))" },
          ],
        }),
      }),
      ctx({ workspaceId: s.ws, workloadId: s.wl }),
    );
    expect(res.status).toBe(403);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("FORBIDDEN");
    expect(body.error.message).toMatch(/^PRIV comes from another member's private secret/);
    expect(await bindingsOf(s.ws, s.wl)).toEqual(before);
    const denied = (await listAuditEvents(s.owner, s.ws, { action: "workload.update", result: "denied" })).data;
    expect(denied).toHaveLength(1);
    expect(denied[0]!.metadata).toMatchObject({ variables: ["PRIV"], reason: "foreign_private_secret" });
    expect(JSON.stringify(denied)).not.toContain("owner-private-value");
    // Its name is the owner's too: others see that a private secret is there, not what it is called.
    const seen = async (actor: Actor) => (await getWorkload(actor, s.ws, s.wl)).bindings.map((b) => [b.envName, b.secret?.name ?? null]);
    const privName = (await db().secret.findUniqueOrThrow({ where: { id: s.priv } })).name;
    const pubName = (await db().secret.findUniqueOrThrow({ where: { id: s.pub } })).name;
    expect(await seen(s.owner)).toEqual([["MODE", null], ["PRIV", privName], ["PUB", pubName]]);
    for (const other of [s.members.admin!, s.members.member!, s.members.viewer!, member.actor]) {
      expect(await seen(other)).toEqual([["MODE", null], ["PRIV", null], ["PUB", pubName]]);
    }
  });

  it("over every role and kind of token: keep, move, re-add, other variables, name: refused; remove or delete: allowed", async () => {
    const s = await scene();
    const workspaceToken = await makeToken(s.owner, s.ws, { kind: "workspace", role: "admin", name: "ws admin" });
    const callers: [string, Actor, string][] = [
      ["admin", s.members.admin!, "FORBIDDEN"],
      ["member", s.members.member!, "FORBIDDEN"],
      ["viewer", s.members.viewer!, "FORBIDDEN"], // no workload.write at all
      ["member's user token", (await makeToken(s.members.member!, s.ws, { name: "m" })).actor, "FORBIDDEN"],
      ["admin's user token", (await makeToken(s.members.admin!, s.ws, { name: "a" })).actor, "FORBIDDEN"],
      ["workspace token (admin)", workspaceToken.actor, "FORBIDDEN"],
    ];
    const current = await bindingsOf(s.ws, s.wl);
    const attempts: Record<string, Parameters<typeof updateWorkload>[3]> = {
      keep: { bindings: current },
      "keep + add a literal": { bindings: [...current, { envName: "EXTRA", value: "x" }] },
      "change another variable": { bindings: current.map((b) => (b.envName === "MODE" ? { envName: "MODE", value: "debug" } : b)) },
      "drop another variable": { bindings: current.filter((b) => b.envName !== "MODE") },
      "move to another name": { bindings: current.map((b) => (b.envName === "PRIV" ? { envName: "MOVED", secretId: s.priv } : b)) },
      "copy to a second name": { bindings: [...current, { envName: "COPY", secretId: s.priv }] },
      "rename the workload": { name: "renamed" },
      "change the description": { description: "hi" },
    };
    for (const [who, actor, expected] of callers) {
      for (const [what, input] of Object.entries(attempts)) {
        expect(await code(updateWorkload(actor, s.ws, s.wl, input)), `${who}: ${what}`).toBe(expected);
      }
    }
    expect(await bindingsOf(s.ws, s.wl)).toEqual(current);
    expect((await getWorkload(s.owner, s.ws, s.wl)).name).toBe("wl");
    // Someone else's private secret that is not on this workload: as if it did not exist (422).
    const other = await createWorkload(s.members.admin!, s.ws, { name: "other", kind: "job" });
    expect(await code(updateWorkload(s.members.admin!, s.ws, other.id, { bindings: [{ envName: "GRAB", secretId: s.priv }] }))).toBe("VALIDATION_FAILED");
    expect(await code(createWorkload(s.members.member!, s.ws, { name: "grab", kind: "job", bindings: [{ envName: "GRAB", secretId: s.priv }] }))).toBe("VALIDATION_FAILED");

    // Removing the binding (and changing the rest in the same request) is anyone's with workload.write.
    const removed = await updateWorkload(s.members.member!, s.ws, s.wl, { bindings: [{ envName: "PUB", secretId: s.pub }, { envName: "MODE", value: "debug" }, { envName: "EXTRA", value: "x" }] });
    expect(removed.bindings.map((b) => b.envName)).toEqual(["EXTRA", "MODE", "PUB"]);
    // Deleting a workload that holds someone's private secret is allowed too.
    const again = await createWorkload(s.owner, s.ws, { name: "again", kind: "job", bindings: [{ envName: "PRIV", secretId: s.priv }] });
    expect(await code(deleteWorkload(s.members.member!, s.ws, again.id))).toBe("OK");
  });

  it("the creator changes her own workload freely; the rule is symmetric (an owner cannot keep a member's private secret)", async () => {
    const s = await scene();
    expect(await code(updateWorkload(s.owner, s.ws, s.wl, { bindings: [{ envName: "RENAMED_PRIV", secretId: s.priv }, { envName: "MODE", value: "debug" }], name: "wl2" }))).toBe("OK");
    const member = s.members.member!;
    const mine = await createSecret(member, s.ws, { name: "members-own", value: "member-value" });
    const wl = await createWorkload(member, s.ws, { name: "members-wl", kind: "job", bindings: [{ envName: "MINE", secretId: mine.secret.id }, { envName: "A", value: "1" }] });
    const ownerTry = await failure(updateWorkload(s.owner, s.ws, wl.id, { bindings: [{ envName: "MINE", secretId: mine.secret.id }, { envName: "A", value: "2" }] }));
    expect(ownerTry).toMatchObject({ code: "FORBIDDEN" });
    expect(ownerTry!.message).toMatch(/^MINE comes from another member's private secret/);
    // Two people's private secrets on one workload: neither may change it without removing the other's.
    expect(await code(updateWorkload(s.owner, s.ws, wl.id, { bindings: [{ envName: "MINE", secretId: mine.secret.id }, { envName: "PRIV", secretId: s.priv }] }))).toBe("FORBIDDEN");
    expect(await code(updateWorkload(member, s.ws, wl.id, { bindings: [{ envName: "MINE", secretId: mine.secret.id }, { envName: "B", value: "2" }] }))).toBe("OK");
  });
});

describe("H1: removing someone's private secret from a workload", () => {
  it("takes the workload tokens its creator put there off the workload: her process never runs a configuration she did not see", async () => {
    const s = await scene();
    const own = await makeToken(s.owner, s.ws, { kind: "workload", workloadId: s.wl, name: "owner's" });
    const admins = await makeToken(s.members.admin!, s.ws, { kind: "workload", workloadId: s.wl, name: "admin's" });
    expect((await envFor(own.actor)).env.PRIV).toBe("owner-private-value");
    // A member removes the private binding and rewires the rest in the same edit.
    await updateWorkload(s.members.member!, s.ws, s.wl, { bindings: [{ envName: "PUB", value: "https://evil.example" }] });
    const owners = await db().token.findUniqueOrThrow({ where: { id: own.id } });
    expect([owners.workloadId, owners.boundById, owners.status]).toEqual([null, null, "active"]);
    expect(await code(issueWorkloadCredential(own.actor, s.ws, s.wl))).toBe("FORBIDDEN");
    // Other tokens (the admin's, which never opened the private secret) keep working with the new configuration.
    expect((await envFor(admins.actor)).env).toEqual({ PUB: "https://evil.example" });
    const event = (await listAuditEvents(s.owner, s.ws, { action: "workload.update", result: "success" })).data[0]!;
    expect(event.metadata).toMatchObject({ tokensUnassigned: 1 });
    // The creator removing her own private secret keeps her tokens.
    const again = await createWorkload(s.owner, s.ws, { name: "again", kind: "job", bindings: [{ envName: "PRIV", secretId: s.priv }] });
    const mine = await makeToken(s.owner, s.ws, { kind: "workload", workloadId: again.id, name: "mine" });
    await updateWorkload(s.owner, s.ws, again.id, { bindings: [{ envName: "MODE", value: "x" }] });
    expect((await db().token.findUniqueOrThrow({ where: { id: mine.id } })).workloadId).toBe(again.id);
  });
});

describe("H1: a secret's new value is a change to the workloads that bind it", () => {
  it("an admin cannot replace a public secret's value on a workload that holds someone else's private secret; its creator can", async () => {
    const s = await scene();
    const own = await makeToken(s.owner, s.ws, { kind: "workload", workloadId: s.wl, name: "owner's" });
    const admin = s.members.admin!;
    const err = await failure(replaceSecretValue(admin, s.ws, s.pub, { value: "http://127.0.0.1:9999" }));
    expect(err).toMatchObject({ code: "FORBIDDEN" });
    expect(err!.message).toMatch(/^Workload wl \(as PUB\) also holds another member's private secret/);
    expect((await envFor(own.actor)).env.PUB).toBe("public-value");
    const denied = (await listAuditEvents(s.owner, s.ws, { action: "secret.value.replace", result: "denied" })).data;
    expect(denied.map((e) => e.metadata)).toEqual([{ reason: "foreign_private_secret", workloads: ["wl"] }]);
    // An admin's workspace token, likewise.
    const wsToken = await makeToken(s.owner, s.ws, { kind: "workspace", role: "admin", name: "ws" });
    expect(await code(replaceSecretValue(wsToken.actor, s.ws, s.pub, { value: "x" }))).toBe("FORBIDDEN");
    // The private secret's creator may: it is her workload's environment.
    await replaceSecretValue(s.owner, s.ws, s.pub, { value: "rotated-by-owner" });
    expect((await envFor(own.actor)).env).toMatchObject({ PUB: "rotated-by-owner", PRIV: "owner-private-value" });
    // Once the private secret is removed from the workload, the admin may again.
    await updateWorkload(admin, s.ws, s.wl, { bindings: [{ envName: "PUB", secretId: s.pub }, { envName: "MODE", value: "prod" }] });
    expect(await code(replaceSecretValue(admin, s.ws, s.pub, { value: "rotated-by-admin" }))).toBe("OK");
  });
});

describe("H1: which workload tokens open a private secret", () => {
  it("only a token its creator minted and put on the workload; others get the rest, and are told what was left out", async () => {
    const s = await scene();
    const own = await makeToken(s.owner, s.ws, { kind: "workload", workloadId: s.wl, name: "owner's" });
    const full = await envFor(own.actor);
    expect(full.env).toEqual({ MODE: "prod", PRIV: "owner-private-value", PUB: "public-value" });
    expect(full.withheld).toEqual([]);

    const expectWithheld = async (actor: TokenActor) => {
      const r = await envFor(actor);
      expect(r.env).toEqual({ MODE: "prod", PUB: "public-value" });
      expect(r.secrets).toEqual(["PUB"]);
      expect(r.withheld).toEqual([{ envName: "PRIV", reason: "private_secret" }]);
    };
    // Minted for the workload by an admin, or by a workspace token.
    await expectWithheld((await makeToken(s.members.admin!, s.ws, { kind: "workload", workloadId: s.wl, name: "admin's" })).actor);
    const wsToken = await makeToken(s.owner, s.ws, { kind: "workspace", role: "admin", name: "ws" });
    const { createToken } = await import("@/lib/services/tokens");
    const byToken = await createToken(wsToken.actor, s.ws, { kind: "workload", workloadId: s.wl, name: "by a workspace token" });
    const { authenticateBearer } = await import("@/lib/auth/bearer");
    const { access: _a, ...byTokenActor } = await authenticateBearer(`Bearer ${byToken.value}`, own.actor.meta);
    await expectWithheld(byTokenActor as TokenActor);

    // Minted unassigned by an admin, then assigned onto the workload.
    const unassigned = await makeToken(s.members.admin!, s.ws, { kind: "workload", name: "later" });
    await updateToken(s.members.admin!, s.ws, unassigned.id, { action: "reassign", workloadId: s.wl });
    await expectWithheld({ ...unassigned.actor, workloadId: s.wl });
    // The owner moving the admin's token here does not help: the admin holds its value.
    await updateToken(s.owner, s.ws, unassigned.id, { action: "reassign", workloadId: s.wl });
    await expectWithheld({ ...unassigned.actor, workloadId: s.wl });

    // The owner's own token, moved here by an admin (from another workload): left out; moved back by her: opens.
    const elsewhere = await createWorkload(s.owner, s.ws, { name: "elsewhere", kind: "job" });
    const ownOther = await makeToken(s.owner, s.ws, { kind: "workload", workloadId: elsewhere.id, name: "owner's other" });
    await updateToken(s.members.admin!, s.ws, ownOther.id, { action: "reassign", workloadId: s.wl });
    await expectWithheld({ ...ownOther.actor, workloadId: s.wl });
    await updateToken(s.owner, s.ws, ownOther.id, { action: "reassign", workloadId: s.wl });
    expect((await envFor({ ...ownOther.actor, workloadId: s.wl })).env.PRIV).toBe("owner-private-value");

    // Minted by the owner with her user token (the CLI's way), and moved here by her user token: opens.
    const ownersApiToken = await makeToken(s.owner, s.ws, { name: "owner's API token" });
    const viaApi = await createToken(ownersApiToken.actor, s.ws, { kind: "workload", workloadId: s.wl, name: "via the API" });
    const { access: _b, ...viaApiActor } = await authenticateBearer(`Bearer ${viaApi.value}`, own.actor.meta);
    expect((await envFor(viaApiActor as TokenActor)).env.PRIV).toBe("owner-private-value");
    const movedByApi = await makeToken(s.owner, s.ws, { kind: "workload", workloadId: elsewhere.id, name: "moved by the API" });
    await updateToken(ownersApiToken.actor, s.ws, movedByApi.id, { action: "reassign", workloadId: s.wl });
    expect((await envFor({ ...movedByApi.actor, workloadId: s.wl })).env.PRIV).toBe("owner-private-value");

    // Every resolution is audited with what was left out (names only).
    const events = (await listAuditEvents(s.owner, s.ws, { action: "workload.env.resolve", limit: 50 })).data;
    expect(events.some((e) => JSON.stringify(e.metadata?.withheld) === JSON.stringify(["PRIV:private_secret"]))).toBe(true);
    expect(JSON.stringify(events)).not.toContain("owner-private-value");
  });
});

describe("H1: code-loading variables", () => {
  const LOADERS = [
    "PATH", "LD_PRELOAD", "LD_LIBRARY_PATH", "DYLD_INSERT_LIBRARIES", "NODE_OPTIONS", "PYTHONPATH", "PYTHONSTARTUP", "BASH_ENV", "ENV", "PERL5OPT", "RUBYOPT",
    "JAVA_TOOL_OPTIONS", "Path", "npm_config_node_options", "GIT_SSH_COMMAND",
    // Found by the review: code without a file, and traffic sent elsewhere.
    "ERL_AFLAGS", "LUA_INIT", "GOFLAGS", "RUSTC_WRAPPER", "JAVA_OPTS", "DOTNET_STARTUP_HOOKS", "CORECLR_PROFILER_PATH", "PIP_INDEX_URL", "HTTPS_PROXY", "https_proxy",
    "ALL_PROXY", "NODE_TLS_REJECT_UNAUTHORIZED", "OPENSSL_CONF", "SSLKEYLOGFILE", "HOME", "KUBECONFIG", "AWS_CONFIG_FILE",
  ];

  it("are refused in creates and edits with a message that names them; ordinary names pass", async () => {
    const s = await scene();
    for (const name of LOADERS) expect(isLoaderVariable(name), name).toBe(true);
    for (const name of ["HF_TOKEN", "OPENAI_API_KEY", "MODE", "PATHWAY", "NODE_ENV", "PYTHONUNBUFFERED", "LDAP_URL"]) expect(isLoaderVariable(name), name).toBe(false);
    for (const name of LOADERS) {
      const err = await failure(createWorkload(s.members.member!, s.ws, { name: `l-${name.toLowerCase().replace(/_/g, "-")}`, kind: "job", bindings: [{ envName: name, value: "/tmp/evil" }] }));
      expect(err, name).toMatchObject({ code: "VALIDATION_FAILED" });
      expect(err!.message, name).toMatch(new RegExp(`^${name} makes a process load code`));
      expect(err!.details?.[0]?.path).toBe("bindings.0.envName");
    }
    expect(await db().workload.count({ where: { workspaceId: s.ws } })).toBe(1);
    const mine = await createWorkload(s.members.member!, s.ws, { name: "mine", kind: "job", bindings: [{ envName: "MODE", value: "x" }] });
    expect(await code(updateWorkload(s.members.member!, s.ws, mine.id, { bindings: [{ envName: "MODE", value: "x" }, { envName: "LD_PRELOAD", value: "/tmp/x.so" }] }))).toBe("VALIDATION_FAILED");
    expect(await bindingsOf(s.ws, mine.id)).toEqual([{ envName: "MODE", value: "x" }]);
  });

  it("an admin can allow a listed name (audited); members cannot; only listed names can be allowed", async () => {
    const s = await scene();
    expect(await code(updateWorkloadEnvPolicy(s.members.member!, s.ws, { allowedEnvNames: ["PATH"] }))).toBe("FORBIDDEN");
    expect(await code(updateWorkloadEnvPolicy(s.members.admin!, s.ws, { allowedEnvNames: ["HF_TOKEN"] }))).toBe("VALIDATION_FAILED");
    const admin = await makeToken(s.members.admin!, s.ws, { name: "admin api" });
    const res = await PUT_ENV_POLICY(
      new Request(`http://t/api/v1/workspaces/${s.ws}/workload-env-policy`, {
        method: "PUT",
        headers: bearer(admin.value, { "content-type": "application/json" }),
        body: JSON.stringify({ allowedEnvNames: ["PATH", "LD_LIBRARY_PATH"] }),
      }),
      ctx({ workspaceId: s.ws }),
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as { allowedEnvNames: string[] }).allowedEnvNames).toEqual(["LD_LIBRARY_PATH", "PATH"]);
    const events = (await listAuditEvents(s.owner, s.ws, { action: "workspace.workload_env_policy.update", result: "success" })).data;
    expect(events.map((e) => e.metadata)).toEqual([{ allowedEnvNames: ["LD_LIBRARY_PATH", "PATH"], added: ["LD_LIBRARY_PATH", "PATH"], removed: [] }]);

    // Allowed: a member may now set PATH (exactly that name; LD_PRELOAD is still refused).
    const wl = await createWorkload(s.members.member!, s.ws, { name: "cuda", kind: "job", bindings: [{ envName: "PATH", value: "/usr/local/cuda/bin:/usr/bin" }, { envName: "MODE", value: "1" }] });
    expect(await code(createWorkload(s.members.member!, s.ws, { name: "nope", kind: "job", bindings: [{ envName: "LD_PRELOAD", value: "x" }] }))).toBe("VALIDATION_FAILED");
    const token = await makeToken(s.members.admin!, s.ws, { kind: "workload", workloadId: wl.id, name: "cuda" });
    expect((await envFor(token.actor)).env).toEqual({ PATH: "/usr/local/cuda/bin:/usr/bin", MODE: "1" });

    // Taken back: the env endpoint leaves PATH out from then on, and says so.
    await updateWorkloadEnvPolicy(s.owner, s.ws, { allowedEnvNames: ["LD_LIBRARY_PATH"] });
    const after = await envFor(token.actor);
    expect(after.env).toEqual({ MODE: "1" });
    expect(after.withheld).toEqual([{ envName: "PATH", reason: "loader_variable" }]);
  });

  it("a code-loading variable written before the rule (directly in the database) is left out by the env endpoint", async () => {
    const s = await scene();
    await db().workloadBinding.create({ data: { workloadId: s.wl, envName: "LD_PRELOAD", literalValue: "/tmp/evil.so" } });
    const token = await makeToken(s.owner, s.ws, { kind: "workload", workloadId: s.wl, name: "t" });
    const r = await envFor(token.actor);
    expect(r.env).not.toHaveProperty("LD_PRELOAD");
    expect(r.withheld).toEqual([{ envName: "LD_PRELOAD", reason: "loader_variable" }]);
  });
});

describe("L11: concurrent edits of one workload", () => {
  it("8 concurrent PATCHes of the bindings all succeed, in order, and the last one's list is what remains", async () => {
    const w = await makeWorkspace({ active: true });
    const ws = w.workspace.id;
    for (let round = 0; round < 5; round++) {
      const wl = await createWorkload(w.owner, ws, { name: `race-${round}`, kind: "job", bindings: [{ envName: "A", value: "0" }] });
      const lists = Array.from({ length: 8 }, (_, i) => [
        { envName: "A", value: String(i) },
        { envName: `ONLY_${i}`, value: "x" },
      ]);
      const results = await Promise.allSettled(lists.map((bindings) => updateWorkload(w.owner, ws, wl.id, { bindings })));
      expect(results.map((r) => (r.status === "fulfilled" ? "OK" : String((r.reason as Error).message))), `round ${round}`).toEqual(Array(8).fill("OK"));
      const final = await bindingsOf(ws, wl.id);
      // Exactly one of the submitted lists, whole: no mix of two edits.
      expect(lists.map((l) => JSON.stringify([...l].sort((a, b) => a.envName.localeCompare(b.envName))))).toContain(JSON.stringify(final));
    }
  });
});
