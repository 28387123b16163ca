// Secrets and workloads: envelope encryption (SEC-01..05, 08..11), the canary value absent from
// the database and every response, visibility for every role, presets against hostile input,
// replace / rename / delete / match, workloads and the resolved environment, and master-key
// rotation while resolutions run.
import { execFileSync } from "node:child_process";
import { readFileSync, existsSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { POST as ISSUE } from "@/app/api/v1/workspaces/[workspaceId]/workloads/[workloadId]/credentials/route";
import { GET as ENV } from "@/app/api/v1/workspaces/[workspaceId]/workloads/[workloadId]/env/route";
import { GET as LIST_SECRETS, POST as CREATE_SECRET } from "@/app/api/v1/workspaces/[workspaceId]/secrets/route";
import type { TokenActor } from "@/lib/auth/actor";
import { ROLES, roleCan, type Role } from "@/lib/auth/permissions";
import { resetConfig } from "@/lib/config";
import { clearDataKeyCache, currentDataKey, dataKeyFor, decryptValue, encryptValue, missingMasterKeys, NONCE_BYTES, open, rewrapDataKeys, seal, TAG_BYTES } from "@/lib/crypto/envelope";
import { db, dbProvider, transaction } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { checkPreset } from "@/lib/secrets/presets";
import { listAuditEvents } from "@/lib/services/audit";
import { removeMember } from "@/lib/services/members";
import { createSecret, deleteSecret, getSecret, listSecrets, matchSecret, MATCH_LIMIT, replaceSecretValue, updateSecret } from "@/lib/services/secrets";
import { checkCredentialValue } from "@/lib/auth/workload-credential";
import { createWorkload, deleteWorkload, getWorkload, issueWorkloadCredential, listWorkloads, resolveWorkloadEnv, updateWorkload, type CredentialCaller } from "@/lib/services/workloads";
import { authenticateBearer } from "@/lib/auth/bearer";
import { bearer, makeToken, makeWorkspace, meta } from "../helpers/fixtures";

const code = (p: Promise<unknown>) => p.then(() => "OK", (e: unknown) => (e instanceof AppError ? e.code : (e as Error).message));
const ctx = (params: Record<string, string>) => ({ params: Promise.resolve(params) });

async function setup(roles: ("admin" | "member" | "viewer")[] = ["admin", "member", "viewer"]) {
  const w = await makeWorkspace({ active: true, roles });
  return { ...w, ws: w.workspace.id };
}
/** A workload with bindings, and a workload token bound to it (as its actor). */
/** What the env route makes of a credential: a workload token exchanges itself, and the value is checked. */
async function credentialFor(actor: TokenActor): Promise<CredentialCaller> {
  const issued = await issueWorkloadCredential(actor, actor.workspaceId, actor.workloadId!);
  const checked = checkCredentialValue(issued.credential);
  if (!checked.ok) throw new Error(`credential refused: ${checked.reason}`);
  return { type: "workload-credential", credential: checked.credential, meta: actor.meta };
}

async function workloadWithToken(owner: Parameters<typeof createWorkload>[0], ws: string, bindings: Parameters<typeof createWorkload>[2]["bindings"]) {
  const w = await createWorkload(owner, ws, { name: `wl-${randomUUID().slice(0, 8)}`, kind: "endpoint", bindings });
  const t = await makeToken(owner as never, ws, { kind: "workload", workloadId: w.id });
  return { workload: w, token: t };
}

describe("envelope encryption", () => {
  it("SEC-01 SEC-02: uses AES-256-GCM with 12-byte nonces and 16-byte tags, never repeating a nonce", () => {
    const key = Buffer.alloc(32, 9);
    const nonces = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const { iv, ciphertext } = encryptValue(key, { workspaceId: "w", secretId: "s", version: 1, name: "n" }, "same value");
      expect(iv.length).toBe(NONCE_BYTES);
      expect(ciphertext.length).toBe(Buffer.byteLength("same value") + TAG_BYTES);
      nonces.add(Buffer.from(iv).toString("hex"));
    }
    expect(nonces.size).toBe(20_000);
  });

  it("SEC-03 SEC-04 SEC-05: refuses any flipped bit, and a value moved to another workspace, secret, version or name", () => {
    const key = Buffer.alloc(32, 9);
    const place = { workspaceId: "w1", secretId: "s1", version: 3, name: "x" };
    const row = { ...place, ...encryptValue(key, place, "hunter2") };
    expect(row.aadScheme).toBe(2);
    expect(decryptValue(key, row)).toBe("hunter2");
    for (const field of ["iv", "ciphertext"] as const) {
      for (let bit = 0; bit < row[field].length * 8; bit += 7) {
        const copy = Buffer.from(row[field]);
        copy[bit >> 3]! ^= 1 << (bit & 7);
        expect(() => decryptValue(key, { ...row, [field]: copy }), `${field} bit ${bit}`).toThrow(/could not be decrypted/);
      }
    }
    expect(() => decryptValue(key, { ...row, workspaceId: "w2" })).toThrow(/altered, or moved/);
    expect(() => decryptValue(key, { ...row, secretId: "s2" })).toThrow(/altered, or moved/);
    expect(() => decryptValue(key, { ...row, version: 4 })).toThrow(/altered, or moved/);
    expect(() => decryptValue(key, { ...row, name: "y" })).toThrow(/The secret "y" could not be decrypted: it was altered, or moved/);
    // Read as the older layout (no name): refused too, a downgrade opens nothing.
    expect(() => decryptValue(key, { ...row, aadScheme: 1 })).toThrow(/altered, or moved/);
    expect(() => decryptValue(Buffer.alloc(32, 8), row)).toThrow(/could not be decrypted/);
    const { nonce, sealed } = seal(key, Buffer.from("k"), "aad");
    expect(() => open(key, nonce, sealed.subarray(0, 5), "aad", "x")).toThrow(/could not be decrypted/);
  });

  it("SEC-04: a ciphertext copied into another secret's row fails to resolve, with a clear error", async () => {
    const { ws, owner } = await setup([]);
    const a = await createSecret(owner, ws, { name: "a", value: "value-of-a", visibility: "public" });
    const b = await createSecret(owner, ws, { name: "b", value: "value-of-b", visibility: "public" });
    const { token } = await workloadWithToken(owner, ws, [{ envName: "B", secretId: b.secret.id }]);
    const va = await db().secretVersion.findFirstOrThrow({ where: { secretId: a.secret.id } });
    await db().secretVersion.updateMany({ where: { secretId: b.secret.id }, data: { ciphertext: va.ciphertext, iv: va.iv } });
    const err = await resolveWorkloadEnv(await credentialFor(token.actor), ws, token.actor.workloadId!).catch((e: unknown) => e as AppError);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toBe('The secret "b" could not be decrypted: it was altered, or moved from another place. Replace it.');
    // A tampered wrapped data key fails too (once the unwrapped key is no longer cached).
    clearDataKeyCache();
    const k = await db().workspaceKey.findFirstOrThrow({ where: { workspaceId: ws } });
    const wrapped = Buffer.from(k.wrappedKey);
    wrapped[20]! ^= 1;
    await db().workspaceKey.update({ where: { id: k.id }, data: { wrappedKey: new Uint8Array(wrapped) } });
    await replaceSecretValue(owner, ws, b.secret.id, { value: "x" }).catch(() => null);
    expect(await code(resolveWorkloadEnv(await credentialFor(token.actor), ws, token.actor.workloadId!))).toBe("INTERNAL");
    clearDataKeyCache();
  });

  it("SEC-05: binds the name: a row renamed in the database fails; a rename through the service re-seals the value", async () => {
    const { ws, owner } = await setup([]);
    const s = await createSecret(owner, ws, { name: "hf", value: "the-value", visibility: "public" });
    const { token } = await workloadWithToken(owner, ws, [{ envName: "HF", secretId: s.secret.id }]);
    const resolve = async () => resolveWorkloadEnv(await credentialFor(token.actor), ws, token.actor.workloadId!);
    // Renamed behind the service's back: the value does not open under another name.
    await db().secret.update({ where: { id: s.secret.id }, data: { name: "renamed-in-db" } });
    await expect(resolve()).rejects.toThrow('The secret "renamed-in-db" could not be decrypted: it was altered, or moved from another place. Replace it.');
    expect(await code(matchSecret(owner, ws, s.secret.id, { value: "the-value" }))).toBe("INTERNAL");
    await db().secret.update({ where: { id: s.secret.id }, data: { name: "hf" } });
    expect((await resolve()).env).toEqual({ HF: "the-value" });
    // Renamed through the service: version 2 sealed under the new name, version 1 shredded.
    const renamed = await updateSecret(owner, ws, s.secret.id, { name: "hugging-face" });
    expect(renamed).toMatchObject({ name: "hugging-face", version: 2 });
    expect(await db().secretVersion.findMany({ where: { secretId: s.secret.id }, select: { version: true, aadScheme: true } })).toEqual([{ version: 2, aadScheme: 2 }]);
    expect((await resolve()).env).toEqual({ HF: "the-value" });
    expect(await matchSecret(owner, ws, s.secret.id, { value: "the-value" })).toEqual({ match: true });
    // Changing only other fields keeps the version.
    expect((await updateSecret(owner, ws, s.secret.id, { envName: "HF_TOKEN" })).version).toBe(2);
  });

  it("still opens values sealed before names were bound (scheme 1), and re-seals them on rename", async () => {
    const { ws, owner } = await setup([]);
    const s = await createSecret(owner, ws, { name: "old", value: "legacy-value", visibility: "public" });
    const v = await db().secretVersion.findFirstOrThrow({ where: { secretId: s.secret.id } });
    // Sealed as the first release did: AAD without the name.
    const k = await transaction((tx) => dataKeyFor(tx, ws, v.dataKeyVersion));
    const legacy = seal(k, Buffer.from("legacy-value"), `tessera:secret:v1|${ws}|${s.secret.id}|${v.version}`);
    await db().secretVersion.update({ where: { id: v.id }, data: { iv: new Uint8Array(legacy.nonce), ciphertext: new Uint8Array(legacy.sealed), aadScheme: 1 } });
    const { token } = await workloadWithToken(owner, ws, [{ envName: "OLD", secretId: s.secret.id }]);
    expect((await resolveWorkloadEnv(await credentialFor(token.actor), ws, token.actor.workloadId!)).env).toEqual({ OLD: "legacy-value" });
    await updateSecret(owner, ws, s.secret.id, { name: "old-renamed" });
    expect(await db().secretVersion.findMany({ where: { secretId: s.secret.id }, select: { version: true, aadScheme: true } })).toEqual([{ version: 2, aadScheme: 2 }]);
    expect((await resolveWorkloadEnv(await credentialFor(token.actor), ws, token.actor.workloadId!)).env).toEqual({ OLD: "legacy-value" });
  });
});

describe("SEC-16: data-key encryption counter", () => {
  it("SEC-16: counts every value sealed under a data key and rotates to a new key at the configured limit", async () => {
    const { ws, owner } = await setup([]);
    const before = process.env.TESSERA_DATA_KEY_ROTATE_AFTER;
    process.env.TESSERA_DATA_KEY_ROTATE_AFTER = "3";
    resetConfig();
    try {
      const keys = () => db().workspaceKey.findMany({ where: { workspaceId: ws }, orderBy: { version: "asc" }, select: { version: true, encryptions: true } });
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push((await createSecret(owner, ws, { name: `c${i}`, value: `count-${i}`, visibility: "public" })).secret.id);
      expect(await keys()).toEqual([{ version: 1, encryptions: 3 }]);
      // A refused write (name taken) seals nothing and counts nothing.
      await expect(createSecret(owner, ws, { name: "c0", value: "x", visibility: "public" })).rejects.toMatchObject({ code: "CONFLICT" });
      expect(await keys()).toEqual([{ version: 1, encryptions: 3 }]);
      // The fourth value: a new data key takes over, and the rotation is audited (the alarm).
      ids.push((await createSecret(owner, ws, { name: "c3", value: "count-3", visibility: "public" })).secret.id);
      expect(await keys()).toEqual([{ version: 1, encryptions: 3 }, { version: 2, encryptions: 1 }]);
      const [event] = (await listAuditEvents(owner, ws, { action: "workspace.data_key.rotate" })).data;
      expect(event).toMatchObject({ actorType: "system", result: "success", metadata: { fromVersion: 1, toVersion: 2, encryptions: 3, limit: 3 } });
      // Replacing an old value seals it under the new key; every value still resolves.
      await replaceSecretValue(owner, ws, ids[0]!, { value: "count-0b" });
      expect(await keys()).toEqual([{ version: 1, encryptions: 3 }, { version: 2, encryptions: 2 }]);
      const versions = await db().secretVersion.findMany({ where: { secretId: { in: ids } }, select: { secretId: true, dataKeyVersion: true } });
      expect(versions.find((v) => v.secretId === ids[0])!.dataKeyVersion).toBe(2);
      expect(versions.find((v) => v.secretId === ids[1])!.dataKeyVersion).toBe(1);
      const { token } = await workloadWithToken(owner, ws, ids.map((secretId, i) => ({ envName: `C${i}`, secretId })));
      clearDataKeyCache();
      expect((await resolveWorkloadEnv(await credentialFor(token.actor), ws, token.actor.workloadId!)).env).toEqual({ C0: "count-0b", C1: "count-1", C2: "count-2", C3: "count-3" });
      // Writes racing at the limit: every one succeeds, no version is made twice, nothing is lost.
      const raced = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => createSecret(owner, ws, { name: `race${i}`, value: `r${i}`, visibility: "public" })));
      expect(raced.filter((r) => r.status === "rejected")).toEqual([]);
      const after = await keys();
      expect(after.reduce((n, k) => n + k.encryptions, 0)).toBe(3 + 2 + 8);
      expect(after.map((k) => k.version)).toEqual(after.map((_, i) => i + 1));
      expect(after.slice(0, -1).every((k) => k.encryptions >= 3)).toBe(true);
      // The first secrets of a workspace, all at once: one data key, every write counted.
      const fresh = await setup([]);
      const first = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => createSecret(fresh.owner, fresh.ws, { name: `first${i}`, value: `f${i}`, visibility: "public" })));
      expect(first.filter((r) => r.status === "rejected")).toEqual([]);
      const freshKeys = await db().workspaceKey.findMany({ where: { workspaceId: fresh.ws }, orderBy: { version: "asc" }, select: { version: true, encryptions: true } });
      expect(freshKeys).toEqual([{ version: 1, encryptions: 3 }, { version: 2, encryptions: 3 }]);
    } finally {
      if (before === undefined) delete process.env.TESSERA_DATA_KEY_ROTATE_AFTER;
      else process.env.TESSERA_DATA_KEY_ROTATE_AFTER = before;
      resetConfig();
    }
  });
});

describe("data keys and rolled-back writes", () => {
  it("a data key made by a transaction that rolls back is never used to seal a value", async () => {
    const { ws, owner } = await setup([]);
    // A first write in a fresh workspace makes data key v1, then fails: v1 is rolled back with it.
    // Asked for twice in that transaction, and read back by version too: still not cached.
    await expect(
      transaction(async (tx) => {
        await currentDataKey(tx, ws);
        await currentDataKey(tx, ws);
        await dataKeyFor(tx, ws, 1);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await db().workspaceKey.count({ where: { workspaceId: ws } })).toBe(0);
    // The next write makes v1 again, with other bytes: values must be sealed with those.
    // (and the write after it, which finds v1 stored and would take a cached copy if there were one).
    const s = await createSecret(owner, ws, { name: "after-rollback", value: "sealed-right", visibility: "public" });
    const s2 = await createSecret(owner, ws, { name: "after-that", value: "sealed-right-too", visibility: "public" });
    const { token } = await workloadWithToken(owner, ws, [{ envName: "V", secretId: s.secret.id }, { envName: "W", secretId: s2.secret.id }]);
    clearDataKeyCache(); // as on another instance, or after a restart
    expect((await resolveWorkloadEnv(await credentialFor(token.actor), ws, token.actor.workloadId!)).env).toEqual({ V: "sealed-right", W: "sealed-right-too" });
  });
});

describe("write-only values", () => {
  it("SEC-06 SEC-12: keeps a canary value out of the database, every response and the audit log", async () => {
    const { ws, owner } = await setup([]);
    const canary = `CANARY-${randomUUID()}`;
    const t = await makeToken(owner, ws);
    const res = await CREATE_SECRET(
      new Request(`http://localhost/api/v1/workspaces/${ws}/secrets`, { method: "POST", headers: { ...bearer(t.value), "content-type": "application/json" }, body: JSON.stringify({ name: "canary", value: canary, preset: "custom" }) }),
      ctx({ workspaceId: ws }),
    );
    expect(res.status).toBe(201);
    const created = await res.json();
    const id = created.secret.id as string;
    const responses = [
      JSON.stringify(created),
      await (await LIST_SECRETS(new Request(`http://localhost/api/v1/workspaces/${ws}/secrets`, { headers: bearer(t.value) }), ctx({ workspaceId: ws }))).text(),
      JSON.stringify(await getSecret(owner, ws, id)),
      JSON.stringify(await listSecrets(owner, ws)),
      JSON.stringify(await updateSecret(owner, ws, id, { name: "canary-renamed" })),
      JSON.stringify(await replaceSecretValue(owner, ws, id, { value: `${canary}-2` })),
      JSON.stringify(await matchSecret(owner, ws, id, { value: canary })),
      JSON.stringify(await createWorkload(owner, ws, { name: "uses-canary", kind: "job", bindings: [{ envName: "C", secretId: id }] })),
      JSON.stringify(await listWorkloads(owner, ws)),
      JSON.stringify(await listAuditEvents(owner, ws, { limit: 200 })),
      JSON.stringify(await code(createSecret(owner, ws, { name: "canary-renamed", value: canary }))),
      JSON.stringify(await createSecret(owner, ws, { name: "bad", preset: "datadog", value: canary }).catch((e: AppError) => ({ message: e.message, details: e.details }))),
    ];
    for (const r of responses) {
      expect(r).not.toContain(canary);
      expect(r).not.toContain(Buffer.from(canary).toString("base64"));
    }
    // The database: every row of every table, and on SQLite the files themselves.
    if (dbProvider() === "sqlite") {
      const file = process.env.DATABASE_URL!.replace(/^file:/, "");
      for (const f of [file, `${file}-wal`]) if (existsSync(f)) expect(readFileSync(f).includes(Buffer.from(canary)), f).toBe(false);
    } else {
      const url = new URL(process.env.DATABASE_URL!);
      const schema = url.searchParams.get("schema")!;
      url.searchParams.delete("schema");
      const dump = execFileSync("pg_dump", ["--data-only", "--schema", schema, url.toString()], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
      expect(dump).toContain("canary-renamed");
      expect(dump).not.toContain(canary);
    }
  });

  it("validates presets and refuses hostile input without writing anything", async () => {
    const { ws, owner } = await setup([]);
    const before = await db().secret.count({ where: { workspaceId: ws } });
    const refused: [Parameters<typeof createSecret>[2], RegExp][] = [
      [{ name: "k", preset: "ssh-public-key", value: "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk=\n-----END OPENSSH PRIVATE KEY-----" }, /private key/],
      [{ name: "k", preset: "ssh-public-key", value: "ssh-ed25519 not*base64" }, /base64/],
      [{ name: "k", preset: "ssh-public-key", value: "ssh-ed25519 AAAAC3NzaC1yc2EAAAADAQAB" }, /does not match its type|base64/],
      [{ name: "k", preset: "ssh-public-key", value: `ssh-ed25519 ${Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from("ssh-ed25519"), Buffer.from([0, 0, 0, 32]), Buffer.alloc(16)]).toString("base64")}` }, /damaged or truncated/],
      [{ name: "k", preset: "ssh-public-key", value: "ssh-dss AAAAB3NzaC1kc3MAAACBAP" }, /key type/],
      [{ name: "k", preset: "ssh-public-key", value: "ssh-ed25519 AAAA\nssh-ed25519 AAAA" }, /one line/],
      [{ name: "k", preset: "github", value: "ghp_abc def" }, /spaces/],
      [{ name: "k", preset: "registry", value: "{}" }, /server/],
      [{ name: "k", preset: "registry", value: "not json" }, /server, username and password/],
      [{ name: "k", preset: "registry", value: { server: "https://evil/?x", username: "u", password: "p" } }, /registry host/],
      [{ name: "k", preset: "registry", value: JSON.stringify({ server: "nvcr.io", username: "$oauthtoken", password: "p", extra: 1 }) }, /other than/],
      [{ name: "k", value: "" }, /must not be empty/],
      [{ name: "k", value: "a\u0000b" }, /NUL/],
      [{ name: "k", value: "x".repeat(64 * 1024 + 1) }, /64 KiB/],
      [{ name: "", value: "v" }, /must not be empty/],
      [{ name: "a".repeat(65), value: "v" }, /64 characters/],
      [{ name: "line\r\nbreak", value: "v" }, /letters, digits/],
      [{ name: "../etc/passwd", value: "v" }, /letters, digits/],
      [{ name: "k", value: "v", envName: "1BAD" }, /environment variable/],
      [{ name: "k", value: "v", envName: "A=B" }, /environment variable/],
      [{ name: "k", value: "v", preset: "nope" as never }, /must be one of/],
      [{ name: "k", value: "v", visibility: "secret" as never }, /private or public/],
      [{ name: "k", value: "v", expiresAt: "2001-01-01T00:00:00Z" }, /future/],
      [{ name: "k", value: "v", expiresAt: "tomorrow" }, /ISO date/],
      [{ name: "k", value: 42 as never }, /string|server/],
      [{ name: "k", value: "v", workspaceId: "x" } as never, /Unrecognized|unrecognized/],
    ];
    for (const [input, message] of refused) {
      const err = await createSecret(owner, ws, input).then(() => null, (e: AppError) => e);
      expect(err?.code, JSON.stringify(input).slice(0, 80)).toBe("VALIDATION_FAILED");
      expect(`${err?.message} ${JSON.stringify(err?.details)}`, JSON.stringify(input).slice(0, 80)).toMatch(message);
    }
    expect(await db().secret.count({ where: { workspaceId: ws } })).toBe(before);

    // Accepted, with warnings where a format is not certain; the preset suggests the variable name.
    const ed = `ssh-ed25519 ${Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from("ssh-ed25519"), Buffer.from([0, 0, 0, 32]), Buffer.alloc(32, 1)]).toString("base64")} me@laptop`;
    expect(checkPreset("ssh-public-key", ed)).toEqual({ errors: [], warnings: [] });
    const gh = await createSecret(owner, ws, { name: "gh", preset: "github", value: `ghp_${"a".repeat(36)}` });
    expect(gh).toMatchObject({ warnings: [], secret: { envName: "GITHUB_TOKEN", preset: "github" } });
    const odd = await createSecret(owner, ws, { name: "hf", preset: "huggingface", value: "my-old-token" });
    expect(odd.warnings[0]).toMatch(/does not look like a Hugging Face token/);
    expect(odd.secret.envName).toBe("HF_TOKEN");
    for (const [preset, value] of [["openai", "sk-proj-abcdefghijklmnopqrstuvwxyz012345"], ["datadog", "0123456789abcdef0123456789abcdef"], ["ngc", `nvapi-${"x".repeat(64)}`]] as const) {
      expect(checkPreset(preset, value), preset).toEqual({ errors: [], warnings: [] });
    }
    const reg = await createSecret(owner, ws, { name: "nvcr", preset: "registry", value: { server: "nvcr.io", username: "$oauthtoken", password: "pw" } });
    expect(reg.secret.envName).toBe("REGISTRY_AUTH");
  });
});

describe("visibility", () => {
  it("private: only its creator sees and uses it; public: every member; managing public needs secret.manage", async () => {
    const w = await setup();
    const users = { owner: w.owner, admin: w.members.admin!, member: w.members.member!, viewer: w.members.viewer! } satisfies Record<Role, unknown>;
    const mine = await createSecret(users.member, w.ws, { name: "members-own", value: "m" });
    const shared = await createSecret(users.admin, w.ws, { name: "shared", value: "s", visibility: "public" });
    for (const role of ROLES) {
      const names = (await listSecrets(users[role], w.ws)).map((s) => s.name);
      expect(names.includes("members-own"), role).toBe(role === "member");
      expect(names.includes("shared"), role).toBe(true);
      if (role !== "member") expect(await code(getSecret(users[role], w.ws, mine.secret.id)), role).toBe("NOT_FOUND");
      expect(await code(updateSecret(users[role], w.ws, shared.secret.id, { envName: `E_${role}` })), role).toBe(roleCan(role, "secret.manage") ? "OK" : "FORBIDDEN");
      expect(await code(createSecret(users[role], w.ws, { name: `p-${role}`, value: "v", visibility: "public" })), role).toBe(roleCan(role, "secret.manage") ? "OK" : "FORBIDDEN");
      expect(await code(createSecret(users[role], w.ws, { name: `q-${role}`, value: "v" })), role).toBe(roleCan(role, "secret.create") ? "OK" : "FORBIDDEN");
    }
    expect(await code(updateSecret(users.member, w.ws, mine.secret.id, { name: "still-mine" }))).toBe("OK");
    expect(await code(updateSecret(users.member, w.ws, mine.secret.id, { visibility: "public" }))).toBe("FORBIDDEN");
    // Binding: a private secret only by its creator.
    expect(await code(createWorkload(users.admin, w.ws, { name: "admins", kind: "job", bindings: [{ envName: "X", secretId: mine.secret.id }] }))).toBe("VALIDATION_FAILED");
    expect(await code(createWorkload(users.member, w.ws, { name: "members", kind: "job", bindings: [{ envName: "X", secretId: mine.secret.id }, { envName: "S", secretId: shared.secret.id }] }))).toBe("OK");
    expect(await code(createWorkload(users.viewer, w.ws, { name: "viewers", kind: "job" }))).toBe("FORBIDDEN");
    // Another workspace's secret id cannot be bound.
    const other = await setup([]);
    const foreign = await createSecret(other.owner, other.ws, { name: "theirs", value: "t", visibility: "public" });
    expect(await code(createWorkload(w.owner, w.ws, { name: "thief", kind: "job", bindings: [{ envName: "T", secretId: foreign.secret.id }] }))).toBe("VALIDATION_FAILED");
    expect(await code(getSecret(w.owner, w.ws, foreign.secret.id))).toBe("NOT_FOUND");
  });

  it("a removed member's private secrets stay unusable by others; owners can delete them", async () => {
    const w = await setup();
    const priv = await createSecret(w.members.member!, w.ws, { name: "leaver", value: "l" });
    await removeMember(w.owner, w.ws, w.members.member!.userId);
    expect((await listSecrets(w.members.admin!, w.ws)).map((s) => s.name)).not.toContain("leaver");
    const ownerView = await listSecrets(w.owner, w.ws);
    expect(ownerView.find((s) => s.name === "leaver")).toMatchObject({ orphaned: true, visibility: "private" });
    expect(await code(matchSecret(w.owner, w.ws, priv.secret.id, { value: "l" }))).toBe("NOT_FOUND");
    expect(await code(replaceSecretValue(w.owner, w.ws, priv.secret.id, { value: "x" }))).toBe("FORBIDDEN");
    expect(await code(createWorkload(w.owner, w.ws, { name: "grab", kind: "job", bindings: [{ envName: "L", secretId: priv.secret.id }] }))).toBe("VALIDATION_FAILED");
    expect(await code(deleteSecret(w.members.admin!, w.ws, priv.secret.id))).toBe("NOT_FOUND");
    expect(await code(deleteSecret(w.owner, w.ws, priv.secret.id))).toBe("OK");
  });

  it("reading one secret applies the list's rule: owners see former and disabled members' private secrets, nobody sees a current member's", async () => {
    const w = await setup();
    const [member, admin] = [w.members.member!, w.members.admin!];
    const current = await createSecret(member, w.ws, { name: "current", value: "c" });
    const byAdmin = await createSecret(admin, w.ws, { name: "by-admin", value: "a" });
    // The same answers as the list gives, secret by secret.
    for (const actor of [w.owner, admin, w.members.viewer!]) {
      const listed = new Set((await listSecrets(actor, w.ws)).map((s) => s.id));
      for (const s of [current, byAdmin]) expect(await code(getSecret(actor, w.ws, s.secret.id)), `${actor.email} ${s.secret.name}`).toBe(listed.has(s.secret.id) ? "OK" : "NOT_FOUND");
    }
    expect(await code(getSecret(w.owner, w.ws, current.secret.id))).toBe("NOT_FOUND");
    expect(await code(getSecret(member, w.ws, current.secret.id))).toBe("OK");
    // The admin is disabled: the owner now sees the admin's private secret (to delete it); a member does not.
    await db().user.update({ where: { id: admin.userId }, data: { disabledAt: new Date() } });
    expect(await getSecret(w.owner, w.ws, byAdmin.secret.id)).toMatchObject({ orphaned: true });
    expect(await code(getSecret(member, w.ws, byAdmin.secret.id))).toBe("NOT_FOUND");
    // The member leaves: the owner sees the member's private secret, orphaned.
    await removeMember(w.owner, w.ws, member.userId);
    expect(await getSecret(w.owner, w.ws, current.secret.id)).toMatchObject({ orphaned: true, visibility: "private" });
    expect(await code(getSecret(w.members.viewer!, w.ws, current.secret.id))).toBe("NOT_FOUND");
  });
});

describe("lifecycle", () => {
  it("replaces (new version, old ones shredded), renames, expires, and refuses to delete a bound secret", async () => {
    const { ws, owner } = await setup([]);
    const s = await createSecret(owner, ws, { name: "api", value: "v1", visibility: "public", expiresAt: new Date(Date.now() + 3 * 86_400_000).toISOString() });
    expect(s.secret).toMatchObject({ version: 1, expiresSoon: true, expired: false });
    const { token } = await workloadWithToken(owner, ws, [{ envName: "API", secretId: s.secret.id }, { envName: "MODE", value: "prod" }]);
    expect((await resolveWorkloadEnv(await credentialFor(token.actor), ws, token.actor.workloadId!)).env).toEqual({ API: "v1", MODE: "prod" });
    const r = await replaceSecretValue(owner, ws, s.secret.id, { value: "v2" });
    expect(r.secret.version).toBe(2);
    expect(await db().secretVersion.findMany({ where: { secretId: s.secret.id }, select: { version: true } })).toEqual([{ version: 2 }]);
    expect((await resolveWorkloadEnv(await credentialFor(token.actor), ws, token.actor.workloadId!)).env.API).toBe("v2");
    expect((await updateSecret(owner, ws, s.secret.id, { name: "api-key", expiresAt: null })).expiresSoon).toBe(false);
    expect(await code(deleteSecret(owner, ws, s.secret.id))).toBe("CONFLICT");
    const audit = (await listAuditEvents(owner, ws, { action: "secret.", limit: 50 })).data.map((e) => e.action);
    expect(audit).toEqual(expect.arrayContaining(["secret.create", "secret.value.replace", "secret.update"]));
  });

  it("SEC-13: match check: true or false and nothing else, rate-limited and audited without the candidate", async () => {
    const { ws, owner } = await setup([]);
    const s = await createSecret(owner, ws, { name: "m", value: "correct value" });
    expect(await matchSecret(owner, ws, s.secret.id, { value: "correct value" })).toEqual({ match: true });
    expect(await matchSecret(owner, ws, s.secret.id, { value: "correct valuE" })).toEqual({ match: false });
    for (let i = 2; i < MATCH_LIMIT; i++) await matchSecret(owner, ws, s.secret.id, { value: `guess ${i}` });
    const limited = await matchSecret(owner, ws, s.secret.id, { value: "one more" }).catch((e: AppError) => e);
    expect(limited).toMatchObject({ code: "RATE_LIMITED" });
    expect((limited as AppError).retryAfterSeconds).toBeGreaterThan(0);
    const events = (await listAuditEvents(owner, ws, { action: "secret.match", result: "success" })).data;
    expect(events).toHaveLength(MATCH_LIMIT);
    const denied = (await listAuditEvents(owner, ws, { action: "secret.match", result: "denied" })).data;
    expect(denied.map((e) => e.metadata)).toEqual([{ reason: "rate_limited" }]);
    expect(JSON.stringify(events)).not.toMatch(/correct value|guess/);
    expect(events.map((e) => e.metadata?.matched).slice(-2)).toEqual([false, true]);
  });
});

describe("workloads and the resolved environment", () => {
  it("SEC-15 LOG-01: resolves 50 bindings for the bound workload token, audited with names only", async () => {
    const { ws, owner } = await setup([]);
    const bindings = [];
    for (let i = 0; i < 50; i++) {
      if (i % 5 === 0) bindings.push({ envName: `LIT_${i}`, value: `literal-${i}` });
      else bindings.push({ envName: `SEC_${i}`, secretId: (await createSecret(owner, ws, { name: `s${i}`, value: `value-${i}`, visibility: "public" })).secret.id });
    }
    const { workload, token } = await workloadWithToken(owner, ws, bindings);
    const issued = await ISSUE(new Request(`http://localhost/api/v1/workspaces/${ws}/workloads/${workload.id}/credentials`, { method: "POST", headers: bearer(token.value) }), ctx({ workspaceId: ws, workloadId: workload.id }));
    expect(issued.status).toBe(201);
    const { credential } = await issued.json();
    const res = await ENV(new Request(`http://localhost/api/v1/workspaces/${ws}/workloads/${workload.id}/env`, { headers: bearer(credential) }), ctx({ workspaceId: ws, workloadId: workload.id }));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(Object.keys(body.env)).toHaveLength(50);
    expect(body.env.SEC_1).toBe("value-1");
    expect(body.env.LIT_5).toBe("literal-5");
    const [event] = (await listAuditEvents(owner, ws, { action: "workload.env.resolve" })).data;
    expect(event!.metadata!.variables).toHaveLength(50);
    expect(JSON.stringify(event)).not.toContain("value-1");
    // The workload page data: which tokens and which secrets it uses.
    const page = await getWorkload(owner, ws, workload.id);
    expect(page.tokens.map((t) => t.id)).toEqual([token.id]);
    expect(page.bindings.filter((b) => b.secret).length).toBe(40);
    expect(JSON.stringify(page)).not.toContain("value-1");
  });

  it("validates names and bindings; deleting a workload cancels its tokens", async () => {
    const { ws, owner } = await setup([]);
    for (const [input, message] of [
      [{ name: "Bad_Name", kind: "job" }, /DNS label/],
      [{ name: "-lead", kind: "job" }, /DNS label/],
      [{ name: "a".repeat(64), kind: "job" }, /63/],
      [{ name: "ok", kind: "vm" }, /endpoint, job or pod/],
      [{ name: "ok", kind: "job", bindings: [{ envName: "A", value: "1" }, { envName: "A", value: "2" }] }, /same variable twice/],
      [{ name: "ok", kind: "job", bindings: [{ envName: "A B", value: "1" }] }, /environment variable/],
      [{ name: "ok", kind: "job", bindings: [{ envName: "A", value: "1", secretId: "x" }] }, /./],
      [{ name: "ok", kind: "job", description: "x\u0007" }, /control/],
    ] as const) {
      const err = await createWorkload(owner, ws, input as never).then(() => null, (e: AppError) => e);
      expect(err?.code, JSON.stringify(input)).toBe("VALIDATION_FAILED");
      expect(`${err?.message} ${JSON.stringify(err?.details)}`).toMatch(message);
    }
    expect(await db().workload.count({ where: { workspaceId: ws } })).toBe(0);
    const { workload, token } = await workloadWithToken(owner, ws, []);
    expect(await code(createWorkload(owner, ws, { name: workload.name, kind: "pod" }))).toBe("CONFLICT");
    expect((await updateWorkload(owner, ws, workload.id, { bindings: [{ envName: "X", value: "1" }] })).bindings).toEqual([{ envName: "X", value: "1", secret: null }]);
    expect(await deleteWorkload(owner, ws, workload.id)).toEqual({ id: workload.id, tokensCancelled: 1 });
    await expect(authenticateBearer(`Bearer ${token.value}`, meta())).rejects.toThrow(/cancelled/);
    // Workloads need an active workspace.
    const pending = await makeWorkspace();
    expect(await code(createWorkload(pending.owner, pending.workspace.id, { name: "early", kind: "job" }))).toBe("FORBIDDEN");
  });
});

describe("master-key rotation", () => {
  it("SEC-08 SEC-09 SEC-10 SEC-11: re-wraps data keys under a new master key while resolutions run, with no failures; start-up can tell a missing key", async () => {
    const { ws, owner } = await setup([]);
    const secretIds = [];
    for (let i = 0; i < 5; i++) secretIds.push((await createSecret(owner, ws, { name: `r${i}`, value: `rot-${i}`, visibility: "public" })).secret.id);
    const { token } = await workloadWithToken(owner, ws, secretIds.map((secretId, i) => ({ envName: `R${i}`, secretId })));
    const actor: TokenActor = token.actor;
    const caller = await credentialFor(actor);
    const oldKeys = process.env.TESSERA_MASTER_KEY!;
    expect((await db().workspaceKey.findFirstOrThrow({ where: { workspaceId: ws } })).masterKeyId).toBe("t1");
    try {
      // 1. The new key goes first, the old one stays (a restart: the configuration is read again).
      process.env.TESSERA_MASTER_KEY = `t2:${Buffer.alloc(32, 42).toString("base64")},${oldKeys}`;
      resetConfig();
      let failures = 0;
      let calls = 0;
      let running = true;
      // Waits for calls made after the rotation, not for a time: the verdict does not depend on the machine's speed.
      let rotated = false;
      let callsAfter = 0;
      let fourAfter!: () => void;
      const afterRotation = new Promise<void>((resolve) => (fourAfter = resolve));
      const load = (async () => {
        while (running) {
          clearDataKeyCache(); // every call unwraps, so each sees whichever wrapping is current
          const env = await resolveWorkloadEnv(caller, ws, actor.workloadId!).catch(() => null);
          calls++;
          if (rotated && ++callsAfter >= 4) fourAfter();
          if (!env || env.env.R3 !== "rot-3") failures++;
          await new Promise((r) => setTimeout(r, 1)); // let the rotation's transactions in (one SQLite connection)
        }
      })();
      // 2. The rotation command's work, beside the running resolutions.
      const { rewrapped, failed } = await rewrapDataKeys(db());
      rotated = true;
      await afterRotation;
      running = false;
      await load;
      expect(rewrapped).toBeGreaterThanOrEqual(1);
      expect(calls).toBeGreaterThan(3);
      expect(failures).toBe(0);
      // Other tests' workspaces are in this database too; one has a deliberately damaged key, which
      // is reported and skipped rather than stopping the rotation.
      expect(failed.map((f) => f.workspaceId)).not.toContain(ws);
      expect(failed.every((f) => /could not be decrypted/.test(f.reason))).toBe(true);
      expect(await db().workspaceKey.count({ where: { masterKeyId: { not: "t2" } } })).toBe(failed.length);
      expect(await db().workspaceKey.count({ where: { workspaceId: ws, masterKeyId: { not: "t2" } } })).toBe(0);
      // New secrets are written under the new key too.
      await createSecret(owner, ws, { name: "after", value: "new", visibility: "public" });
      // 3. The old key can go.
      process.env.TESSERA_MASTER_KEY = `t2:${Buffer.alloc(32, 42).toString("base64")}`;
      resetConfig();
      clearDataKeyCache();
      expect((await resolveWorkloadEnv(caller, ws, actor.workloadId!)).env.R0).toBe("rot-0");
      expect(await missingMasterKeys(db())).toEqual(failed.length ? ["t1"] : []);
      // Without the key that wraps the data keys: named, and values cannot be read.
      process.env.TESSERA_MASTER_KEY = oldKeys;
      resetConfig();
      clearDataKeyCache();
      expect(await missingMasterKeys(db())).toContain("t2");
      const err = await resolveWorkloadEnv(caller, ws, actor.workloadId!).catch((e: AppError) => e);
      expect(err).toMatchObject({ code: "SERVICE_UNAVAILABLE" });
      expect((err as AppError).message).toMatch(/Master key "t2" is not configured/);
    } finally {
      process.env.TESSERA_MASTER_KEY = oldKeys;
      resetConfig();
      clearDataKeyCache();
    }
  });
});
