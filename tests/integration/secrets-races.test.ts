// Secrets and workloads under review: read-only credentials, the match limit under concurrency,
// private secrets of former members in workloads, visibility and delete racing a bind (both
// databases; PostgreSQL runs these writers truly at once), audit group commit of large batches,
// and audited denials of the env endpoint.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { TokenActor } from "@/lib/auth/actor";
import { checkCredentialValue } from "@/lib/auth/workload-credential";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { listAuditEvents, MAX_BATCH, recordAuditCommitted } from "@/lib/services/audit";
import { removeMember } from "@/lib/services/members";
import { createSecret, deleteSecret, listSecrets, matchSecret, MATCH_LIMIT, replaceSecretValue, updateSecret } from "@/lib/services/secrets";
import { updateToken } from "@/lib/services/tokens";
import { createWorkload, getWorkload, issueWorkloadCredential, resolveWorkloadEnv, updateWorkload, type CredentialCaller } from "@/lib/services/workloads";
import { makeToken, makeWorkspace, meta } from "../helpers/fixtures";

const code = (p: Promise<unknown>) => p.then(() => "OK", (e: unknown) => (e instanceof AppError ? e.code : `THROWN ${(e as Error).message}`));

async function credentialFor(actor: TokenActor): Promise<CredentialCaller> {
  const issued = await issueWorkloadCredential(actor, actor.workspaceId, actor.workloadId!);
  const checked = checkCredentialValue(issued.credential);
  if (!checked.ok) throw new Error(`credential refused: ${checked.reason}`);
  return { type: "workload-credential", credential: checked.credential, meta: actor.meta };
}

describe("read-only credentials", () => {
  it("a read-only owner token cannot delete a former member's private secret; a full one can", async () => {
    const w = await makeWorkspace({ active: true, roles: ["member"] });
    const ws = w.workspace.id;
    const priv = await createSecret(w.members.member!, ws, { name: "leaver", value: "l" });
    await removeMember(w.owner, ws, w.members.member!.userId);
    const readOnly = await makeToken(w.owner, ws, { scopes: ["read"] });
    expect(await code(deleteSecret(readOnly.actor, ws, priv.secret.id))).toBe("FORBIDDEN");
    expect(await db().secret.count({ where: { id: priv.secret.id } })).toBe(1);
    const denied = (await listAuditEvents(w.owner, ws, { action: "secret.delete", result: "denied" })).data;
    expect(denied).toHaveLength(1);
    const full = await makeToken(w.owner, ws, { scopes: ["full"] });
    expect(await code(deleteSecret(full.actor, ws, priv.secret.id))).toBe("OK");
  });
});

describe("match-check limit under concurrency", () => {
  it("lets exactly MATCH_LIMIT checks through when many arrive at once, also as a window restarts", async () => {
    const w = await makeWorkspace({ active: true });
    const ws = w.workspace.id;
    const s = await createSecret(w.owner, ws, { name: "m", value: "right" });
    const burst = async () => (await Promise.all(Array.from({ length: 3 * MATCH_LIMIT }, (_, i) => code(matchSecret(w.owner, ws, s.secret.id, { value: `guess-${i}` }))))).filter((c) => c === "OK").length;
    expect(await burst()).toBe(MATCH_LIMIT);
    // The window has passed: the next burst restarts it once, not once per request.
    await db().rateLimit.updateMany({ where: { key: { startsWith: "secret-match:" } }, data: { windowStart: new Date(Date.now() - 11 * 60_000) } });
    expect(await burst()).toBe(MATCH_LIMIT);
    const events = (await listAuditEvents(w.owner, ws, { action: "secret.match", limit: 200 })).data;
    expect(events.filter((e) => e.result === "success")).toHaveLength(2 * MATCH_LIMIT);
    // Refused checks are audited too, as denied, with the reason and never the candidate.
    const denied = events.filter((e) => e.result === "denied");
    expect(denied).toHaveLength(4 * MATCH_LIMIT);
    expect(denied[0]!.metadata).toEqual({ reason: "rate_limited" });
    expect(JSON.stringify(events)).not.toMatch(/guess-|right/);
  });
});

describe("match-check refusals and strangers", () => {
  it("a stranger's match checks answer 404 however many (never the 429 a member gets), audited as any outsider's probe", async () => {
    const w = await makeWorkspace({ active: true });
    const ws = w.workspace.id;
    const s = await createSecret(w.owner, ws, { name: "m", value: "right", visibility: "public" });
    const stranger = await makeWorkspace({ active: true });
    for (let i = 0; i < MATCH_LIMIT + 5; i++) expect(await code(matchSecret(stranger.owner, ws, s.secret.id, { value: `g${i}` }))).toBe("NOT_FOUND");
    // Denied attempts on an existing workspace are recorded there (as for every outsider's probe),
    // one per call, and none says "rate_limited": that would tell a stranger the secret exists.
    const events = await db().auditEvent.findMany({ where: { workspaceId: ws, action: "secret.match" } });
    expect(events).toHaveLength(MATCH_LIMIT + 5);
    expect(events.every((e) => e.result === "denied" && e.actorId === stranger.owner.userId && !(e.metadata ?? "").includes("rate_limited"))).toBe(true);
  });
});

describe("replace and rename racing (the name is in the AAD)", () => {
  it("leaves one readable current version whatever the order, never a 500", async () => {
    const w = await makeWorkspace({ active: true });
    const ws = w.workspace.id;
    const s = await createSecret(w.owner, ws, { name: "r-0", value: "v-0", visibility: "public" });
    const wl = await createWorkload(w.owner, ws, { name: `wl-${randomUUID().slice(0, 8)}`, kind: "job", bindings: [{ envName: "R", secretId: s.secret.id }] });
    const token = await makeToken(w.owner, ws, { kind: "workload", workloadId: wl.id });
    for (let round = 1; round <= 6; round++) {
      const results = await Promise.all([
        code(replaceSecretValue(w.owner, ws, s.secret.id, { value: `v-${round}a` })),
        code(updateSecret(w.owner, ws, s.secret.id, { name: `r-${round}` })),
        code(replaceSecretValue(w.owner, ws, s.secret.id, { value: `v-${round}b` })),
        code(updateSecret(w.owner, ws, s.secret.id, { name: `r-${round}x` })),
        code(matchSecret(w.owner, ws, s.secret.id, { value: "v" })),
      ]);
      expect(results.filter((c) => c !== "OK" && c !== "CONFLICT"), `round ${round}: ${results.join(" ")}`).toEqual([]);
      const row = await db().secret.findUniqueOrThrow({ where: { id: s.secret.id } });
      const versions = await db().secretVersion.findMany({ where: { secretId: s.secret.id }, select: { version: true } });
      expect(versions, `round ${round}`).toEqual([{ version: row.currentVersion }]);
      const env = (await resolveWorkloadEnv(await credentialFor(token.actor), ws, wl.id)).env;
      expect(env.R, `round ${round}`).toMatch(/^v-\d+[ab]?$/);
    }
  });
});

describe("private secrets in workloads", () => {
  it("its creator may bind it and the workload gets it; once the creator leaves, the workload gets nothing until it is rebound", async () => {
    const w = await makeWorkspace({ active: true, roles: ["admin", "member"] });
    const ws = w.workspace.id;
    const member = w.members.member!;
    const priv = await createSecret(member, ws, { name: "mine", value: "member-private-value" });
    const pub = await createSecret(w.owner, ws, { name: "shared", value: "shared-value", visibility: "public" });
    const wl = await createWorkload(member, ws, { name: `wl-${randomUUID().slice(0, 8)}`, kind: "job", bindings: [{ envName: "MINE", secretId: priv.secret.id }, { envName: "SHARED", secretId: pub.secret.id }] });
    const token = await makeToken(w.members.admin!, ws, { kind: "workload", workloadId: wl.id });
    expect((await getWorkload(w.members.admin!, ws, wl.id)).bindings.map((b) => b.secret?.formerMember)).toEqual([false, false]);
    // An admin's token gets the rest, not the member's private secret (H1: only a token its creator minted opens it).
    const resolved = await resolveWorkloadEnv(await credentialFor(token.actor), ws, wl.id);
    expect(resolved.env).toEqual({ SHARED: "shared-value" });
    expect(resolved.withheld).toEqual([{ envName: "MINE", reason: "private_secret" }]);

    await removeMember(w.owner, ws, member.userId);
    const err = await resolveWorkloadEnv(await credentialFor(token.actor), ws, wl.id).then(() => null, (e: AppError) => e);
    expect(err).toMatchObject({ code: "CONFLICT" });
    expect(err!.message).toMatch(/^MINE comes from a private secret of a former member; bind another secret to it/);
    expect(err!.message).not.toContain("member-private-value");
    const denied = (await listAuditEvents(w.owner, ws, { action: "workload.env.resolve", result: "denied" })).data;
    expect(denied).toHaveLength(1);
    // The workload page says which variable needs another secret.
    const page = await getWorkload(w.members.admin!, ws, wl.id);
    expect(page.bindings.map((b) => [b.envName, b.secret?.formerMember])).toEqual([["MINE", true], ["SHARED", false]]);

    // An admin rebinds the variable to a public secret: the workload works again.
    await updateWorkload(w.members.admin!, ws, wl.id, { bindings: [{ envName: "MINE", secretId: pub.secret.id }, { envName: "SHARED", secretId: pub.secret.id }] });
    expect((await resolveWorkloadEnv(await credentialFor(token.actor), ws, wl.id)).env).toEqual({ MINE: "shared-value", SHARED: "shared-value" });
  });

  it("a disabled creator's private secret is not resolved either", async () => {
    const w = await makeWorkspace({ active: true, roles: ["member"] });
    const ws = w.workspace.id;
    const priv = await createSecret(w.members.member!, ws, { name: "mine", value: "v" });
    const wl = await createWorkload(w.members.member!, ws, { name: `wl-${randomUUID().slice(0, 8)}`, kind: "job", bindings: [{ envName: "MINE", secretId: priv.secret.id }] });
    const token = await makeToken(w.owner, ws, { kind: "workload", workloadId: wl.id });
    await db().user.update({ where: { id: w.members.member!.userId }, data: { disabledAt: new Date() } });
    expect(await code(resolveWorkloadEnv(await credentialFor(token.actor), ws, wl.id))).toBe("CONFLICT");
    // Owners see it as a former member's, as the workload page and the env endpoint do, to clean up.
    expect((await listSecrets(w.owner, ws)).find((x) => x.id === priv.secret.id)).toMatchObject({ orphaned: true });
  });
});

describe("visibility and delete racing a bind", () => {
  it("never leaves another member's workload holding a secret made private at the same moment", async () => {
    const w = await makeWorkspace({ active: true, roles: ["admin", "member"] });
    const ws = w.workspace.id;
    const creator = w.members.admin!;
    const binder = w.members.member!;
    for (let round = 0; round < 8; round++) {
      const s = await createSecret(creator, ws, { name: `race-${round}`, value: "v", visibility: "public" });
      const wl = await createWorkload(binder, ws, { name: `race-${round}`, kind: "job" });
      const [toPrivate, bind] = await Promise.all([
        code(updateSecret(creator, ws, s.secret.id, { visibility: "private" })),
        code(updateWorkload(binder, ws, wl.id, { bindings: [{ envName: "S", secretId: s.secret.id }] })),
      ]);
      expect([toPrivate, bind].filter((c) => c !== "OK" && c !== "CONFLICT" && c !== "VALIDATION_FAILED"), `${toPrivate} ${bind}`).toEqual([]);
      const secret = await db().secret.findUniqueOrThrow({ where: { id: s.secret.id } });
      const bound = await db().workloadBinding.count({ where: { secretId: s.secret.id } });
      // Either it went private and nobody else's workload has it, or it stayed public and is bound.
      expect(secret.visibility === "private" && bound > 0, `round ${round}: ${toPrivate} ${bind}`).toBe(false);
      expect([toPrivate, bind].filter((c) => c === "OK").length).toBeGreaterThanOrEqual(1);
    }
  });

  it("a delete racing a bind ends in one clear answer each (never a 500) and no dangling binding", async () => {
    const w = await makeWorkspace({ active: true, roles: ["admin"] });
    const ws = w.workspace.id;
    for (let round = 0; round < 8; round++) {
      const s = await createSecret(w.owner, ws, { name: `del-${round}`, value: "v", visibility: "public" });
      const wl = await createWorkload(w.owner, ws, { name: `del-${round}`, kind: "job" });
      const [del, bind] = await Promise.all([
        code(deleteSecret(w.owner, ws, s.secret.id)),
        code(updateWorkload(w.members.admin!, ws, wl.id, { bindings: [{ envName: "S", secretId: s.secret.id }] })),
      ]);
      expect([del, bind].filter((c) => !["OK", "CONFLICT", "VALIDATION_FAILED"].includes(c)), `${del} ${bind}`).toEqual([]);
      const exists = (await db().secret.count({ where: { id: s.secret.id } })) === 1;
      const bound = await db().workloadBinding.count({ where: { workloadId: wl.id } });
      expect(exists ? del !== "OK" : bound === 0 && bind !== "OK").toBe(true);
    }
  });
});

describe("audit group commit", () => {
  it("commits a queue far larger than one statement can hold (SQLite's parameter limit)", async () => {
    const w = await makeWorkspace({ active: true });
    const ws = w.workspace.id;
    const n = MAX_BATCH * 5 + 7; // 2,507 events: 35,098 parameters in one SQLite statement would fail
    await Promise.all(Array.from({ length: n }, (_, i) => recordAuditCommitted(w.owner, { workspaceId: ws, action: "test.bulk", target: { type: "test", id: String(i) } })));
    expect(await db().auditEvent.count({ where: { workspaceId: ws, action: "test.bulk" } })).toBe(n);
  });
});

describe("env endpoint denials", () => {
  it("LOG-04: a credential whose token was cancelled gets a 401 that says so, and the refusal is audited", async () => {
    const w = await makeWorkspace({ active: true });
    const ws = w.workspace.id;
    const wl = await createWorkload(w.owner, ws, { name: `wl-${randomUUID().slice(0, 8)}`, kind: "job", bindings: [{ envName: "A", value: "1" }] });
    const token = await makeToken(w.owner, ws, { kind: "workload", workloadId: wl.id });
    const cred = await credentialFor(token.actor);
    await updateToken(w.owner, ws, token.id, { action: "cancel" });
    const err = await resolveWorkloadEnv({ ...cred, meta: meta() }, ws, wl.id).then(() => null, (e: AppError) => e);
    expect(err).toMatchObject({ code: "UNAUTHORIZED" });
    expect(err!.message).toMatch(/cancelled/);
    const denied = (await listAuditEvents(w.owner, ws, { action: "workload.env.resolve", result: "denied" })).data;
    expect(denied.map((e) => e.metadata)).toEqual([{ reason: "token_cancelled" }]);
  });
});
