// Secrets: write-only, encrypted values (lib/crypto/envelope). Nothing here ever returns a value.
//
// Visibility: a private secret is seen and used by its creator only; a public one by every member.
// Owners also see private secrets whose creator has left the workspace ("orphaned"), to delete them.
// Managing a public secret, or another's, needs secret.manage; one's own private ones, secret.create.
// Replacing a value writes version n+1 and deletes the older versions: values are write-only, so
// an old version could never be read again anyway, and deleting it shreds it.
import { createHash, timingSafeEqual } from "node:crypto";
import { actorUserId, type Actor } from "../auth/actor";
import { roleCan, type Permission, type Role } from "../auth/permissions";
import { currentDataKey, dataKeyFor, decryptValue, encryptValue } from "../crypto/envelope";
import { dbProvider, directReader, lockSecret, lockSecretsShared, type Db, type Tx } from "../db/client";
import type { Secret } from "../generated/sqlite/client";
import { AppError, forbidden, notFound, parseInput } from "../errors";
import { log } from "../log";
import {
  createSecretSchema,
  EXPIRES_SOON_DAYS,
  importSecretsSchema,
  MAX_IMPORT_LINES,
  matchSecretSchema,
  replaceSecretValueSchema,
  updateSecretSchema,
  type CreateSecretInput,
  type ImportLine,
  type ImportResult,
  type ImportSecretsInput,
  secretNameSchema,
  secretValueSchema,
  type SecretOutput,
  type UpdateSecretInput,
} from "../schemas/secret";
import { parseDotenv } from "../secrets/dotenv";
import { checkPreset, PRESET_INFO, PRESETS, type Preset } from "../secrets/presets";
import { recordAudit, recordDenied } from "./audit";
import { authorize, authorizeRead, inRead, inTransaction, refusal } from "./authorize";
import { hit } from "./rate-limit";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Match checks allowed per actor and secret per 10 minutes. */
export const MATCH_LIMIT = 10;
const MATCH_WINDOW_MS = 10 * 60_000;

type Row = Secret & { orphaned?: boolean };

export function presentSecret(s: Row, now = Date.now()): SecretOutput {
  const left = s.expiresAt ? s.expiresAt.getTime() - now : null;
  return {
    id: s.id,
    workspaceId: s.workspaceId,
    name: s.name,
    preset: s.preset as Preset,
    envName: s.envName,
    visibility: s.visibility as SecretOutput["visibility"],
    version: s.currentVersion,
    createdById: s.createdById,
    orphaned: !!s.orphaned,
    expiresAt: s.expiresAt,
    expired: left !== null && left <= 0,
    expiresSoon: left !== null && left > 0 && left < EXPIRES_SOON_DAYS * DAY_MS,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  };
}

/** What may be seen: public secrets, one's own private ones, and (owners) orphaned private ones. */
async function visibleWhere(db: Tx | Db, actor: Actor, workspaceId: string, role: Role | null) {
  const me = actorUserId(actor);
  const or: object[] = [{ visibility: "public" }];
  if (me) or.push({ visibility: "private", createdById: me });
  if (role === "owner") {
    const members = (await db.membership.findMany({ where: { workspaceId }, select: { userId: true } })).map((m) => m.userId);
    // A former member's, or a disabled user's (the env endpoint refuses both alike).
    or.push({ visibility: "private", OR: [{ createdById: null }, { createdById: { notIn: members } }, { createdBy: { disabledAt: { not: null } } }] });
  }
  return { workspaceId, OR: or };
}

/**
 * Whether the actor may see a secret: the rule of visibleWhere, applied to one row. Public
 * secrets, one's own private ones, and (owners) a private secret whose creator is gone: none, no
 * longer a member, or disabled (`creatorGone`, asked only when it decides).
 */
async function maySee(actor: Actor, role: Role | null, s: { visibility: string; createdById: string | null }, creatorGone: () => Promise<boolean>): Promise<boolean> {
  if (s.visibility === "public") return true;
  const me = actorUserId(actor);
  if (me && s.createdById === me) return true;
  return role === "owner" && (await creatorGone());
}

const withOrphaned = (actor: Actor, s: Secret): Row => ({ ...s, orphaned: s.visibility === "private" && s.createdById !== actorUserId(actor) });

/** One secret, if the actor may see it (else 404), read with `db` (a transaction's, for writes). */
async function visibleSecret(db: Tx | Db, actor: Actor, workspaceId: string, secretId: string, role: Role | null): Promise<Row> {
  const s = await db.secret.findFirst({ where: { id: secretId, workspaceId } });
  const creatorGone = async () => {
    if (!s?.createdById) return true;
    const creator = await db.user.findUnique({
      where: { id: s.createdById },
      select: { disabledAt: true, memberships: { where: { workspaceId }, select: { userId: true } } },
    });
    return !creator || creator.disabledAt !== null || creator.memberships.length === 0;
  };
  if (!s || !(await maySee(actor, role, s, creatorGone))) throw notFound("Secret");
  return withOrphaned(actor, s);
}

/**
 * The secret as visibleSecret sees it, read again once its row is locked (PostgreSQL): changes to
 * one secret then run one at a time, each from the row as it is now (its name is in the AAD, and a
 * replace computes the next version from it). A match check takes a share lock. Not found: 404
 * before any lock is taken.
 */
async function lockedSecret(tx: Tx, actor: Actor, workspaceId: string, secretId: string, role: Role | null, mode: "update" | "share" = "update"): Promise<Row> {
  const first = await visibleSecret(tx, actor, workspaceId, secretId, role);
  if (dbProvider() !== "postgres") return first;
  if (mode === "update") await lockSecret(tx, first.id);
  else await lockSecretsShared(tx, workspaceId, [first.id]);
  return visibleSecret(tx, actor, workspaceId, secretId, role);
}

/**
 * H1: a new value for a secret is a change to every workload that binds it. Where such a workload
 * also holds someone else's private secret, only that person may change what it gets (an admin
 * pointing a public HF_ENDPOINT at their own server would receive the private HF_TOKEN), so the
 * change is refused (403, the workloads named, audited). Bindings are share-locked by binds, and
 * this secret is locked for update by the caller (PostgreSQL): a concurrent bind waits for it.
 */
async function assertNoForeignPrivateNeighbour(tx: Tx, actor: Actor, workspaceId: string, secretId: string): Promise<void> {
  const me = actorUserId(actor);
  const foreignPrivate = me === null ? { visibility: "private" } : { visibility: "private", OR: [{ createdById: null }, { createdById: { not: me } }] };
  const held = await tx.workloadBinding.findMany({
    where: { secretId, workload: { workspaceId, bindings: { some: { secret: foreignPrivate } } } },
    select: { envName: true, workload: { select: { name: true } } },
    orderBy: { envName: "asc" },
    take: 5,
  });
  if (!held.length) return;
  const err = new AppError(
    "FORBIDDEN",
    `Workload ${held.map((h) => `${h.workload.name} (as ${h.envName})`).join(", ")} also ${held.length === 1 ? "holds" : "hold"} another member's private secret: while it does, only that member may change what the workload gets. Remove the private secret from the workload first, or ask its creator.`,
  );
  err.denied = { workspaceId, action: "secret.value.replace", target: { type: "secret", id: secretId }, metadata: { reason: "foreign_private_secret", workloads: held.map((h) => h.workload.name) } };
  throw err;
}

/** The permission a change to `s` needs: one's own private secret, secret.create; else secret.manage. */
function permissionFor(actor: Actor, s: Pick<Secret, "visibility" | "createdById">): Permission {
  return s.visibility === "private" && s.createdById !== null && s.createdById === actorUserId(actor) ? "secret.create" : "secret.manage";
}

/** The second check, once the secret is known: role and token scopes, as authorize() does. */
function assertMay(actor: Actor, role: Role | null, permission: Permission, workspaceId: string, action: string, secretId: string | null) {
  const refused = refusal(actor, role, permission);
  if (refused) {
    const err = forbidden(refused);
    err.denied = { workspaceId, action, target: { type: "secret", id: secretId } };
    throw err;
  }
}

function presetCheck(preset: Preset, value: string): string[] {
  const { errors, warnings } = checkPreset(preset, value);
  if (errors.length) {
    throw new AppError("VALIDATION_FAILED", `Invalid value for ${PRESET_INFO[preset].label}: ${errors[0]}`, {
      details: errors.map((message) => ({ path: "value", message })),
    });
  }
  return warnings;
}

const DATA_KEY_ROTATION: Actor = { type: "system", label: "data-key rotation (encryption limit)", meta: { requestId: "data-key-rotation", ip: null, userAgent: null } };

async function writeVersion(tx: Tx, s: Pick<Secret, "id" | "workspaceId" | "name">, version: number, value: string) {
  const dk = await currentDataKey(tx, s.workspaceId);
  if (dk.rotated) {
    // SEC-16: the alarm. Tessera itself rotated the key; the event says when and why.
    log.warn({ workspaceId: s.workspaceId, ...dk.rotated }, "data key reached its encryption limit: a new data key takes over new writes");
    await recordAudit(tx, DATA_KEY_ROTATION, { workspaceId: s.workspaceId, action: "workspace.data_key.rotate", target: { type: "workspace", id: s.workspaceId }, metadata: dk.rotated });
  }
  await tx.secretVersion.create({
    data: { secretId: s.id, version, dataKeyVersion: dk.version, ...encryptValue(dk.key, { workspaceId: s.workspaceId, secretId: s.id, version, name: s.name }, value) },
  });
}

/** The decrypted value of a stored version (for the match check and for re-sealing on rename). */
async function storedValue(tx: Tx, s: Pick<Secret, "id" | "workspaceId" | "name">, v: { version: number; dataKeyVersion: number; aadScheme: number; iv: Uint8Array; ciphertext: Uint8Array }) {
  return decryptValue(await dataKeyFor(tx, s.workspaceId, v.dataKeyVersion), { workspaceId: s.workspaceId, secretId: s.id, version: v.version, name: s.name, aadScheme: v.aadScheme, iv: v.iv, ciphertext: v.ciphertext });
}

/** Writes `value` as version n+1 of `s` (under its name as it is now) and deletes the older versions. */
async function nextVersion(tx: Tx, s: Pick<Secret, "id" | "workspaceId" | "name" | "currentVersion">, value: string) {
  const version = s.currentVersion + 1;
  await writeVersion(tx, s, version, value);
  await tx.secretVersion.deleteMany({ where: { secretId: s.id, version: { lt: version } } });
  return tx.secret.update({ where: { id: s.id }, data: { currentVersion: version } });
}

export async function createSecret(actor: Actor, workspaceId: string, input: CreateSecretInput): Promise<{ secret: SecretOutput; warnings: string[] }> {
  const data = parseInput(createSecretSchema, input);
  const warnings = presetCheck(data.preset, data.value);
  return inTransaction(actor, async (tx) => {
    const permission = data.visibility === "public" ? "secret.manage" : "secret.create";
    await authorize(tx, actor, workspaceId, permission, { action: "secret.create", target: { type: "secret", id: null } });
    const owner = actorUserId(actor);
    if (data.visibility === "private" && !owner) throw new AppError("FORBIDDEN", "Private secrets belong to a person: create it as a user, or make it public");
    if (await tx.secret.findUnique({ where: { workspaceId_name: { workspaceId, name: data.name } }, select: { id: true } })) {
      throw new AppError("CONFLICT", `A secret named "${data.name}" already exists in this workspace`);
    }
    const s = await tx.secret.create({
      data: {
        workspaceId,
        name: data.name,
        preset: data.preset,
        envName: data.envName ?? PRESET_INFO[data.preset].envName,
        visibility: data.visibility,
        createdById: owner,
        currentVersion: 1,
        expiresAt: data.expiresAt ? new Date(data.expiresAt) : null,
      },
    });
    await writeVersion(tx, s, 1, data.value);
    await recordAudit(tx, actor, {
      workspaceId,
      action: "secret.create",
      target: { type: "secret", id: s.id },
      metadata: { name: s.name, preset: s.preset, visibility: s.visibility, version: 1 },
    });
    log.debug({ secretId: s.id, workspaceId, name: s.name, preset: s.preset, warnings: warnings.length }, "secret created");
    return { secret: presentSecret(s), warnings };
  });
}

export async function listSecrets(actor: Actor, workspaceId: string): Promise<SecretOutput[]> {
  return inRead(actor, async (db) => {
    const { role } = await authorizeRead(actor, workspaceId, "secret.read", { action: "secret.list", target: { type: "workspace", id: workspaceId } });
    const rows = await db.secret.findMany({ where: await visibleWhere(db, actor, workspaceId, role), orderBy: { name: "asc" }, take: 2000 });
    const me = actorUserId(actor);
    return rows.map((s) => presentSecret({ ...s, orphaned: s.visibility === "private" && s.createdById !== me }));
  });
}

/**
 * One secret's metadata. A read as cheap as the workspace read (issue 13): the token's access
 * comes from authentication, and the row (with whether its creator is gone) from one direct
 * statement (lib/db/direct.ts), instead of listing the members and filtering through Prisma
 * (0.4-0.5× the workspace read's rate before).
 */
export async function getSecret(actor: Actor, workspaceId: string, secretId: string): Promise<SecretOutput> {
  return inRead(actor, async () => {
    const { role } = await authorizeRead(actor, workspaceId, "secret.read", { action: "secret.read", target: { type: "secret", id: secretId } });
    const row = await directReader().secretMeta(workspaceId, secretId);
    if (!row || !(await maySee(actor, role, row.secret, async () => row.creatorGone))) throw notFound("Secret");
    return presentSecret(withOrphaned(actor, row.secret));
  });
}

export async function updateSecret(actor: Actor, workspaceId: string, secretId: string, input: UpdateSecretInput): Promise<SecretOutput> {
  const data = parseInput(updateSecretSchema, input);
  return inTransaction(actor, async (tx) => {
    const target = { type: "secret", id: secretId };
    const { role } = await authorize(tx, actor, workspaceId, "secret.read", { action: "secret.update", target });
    // Locked first (PostgreSQL): a concurrent bind (which reads the secret FOR SHARE) either
    // commits before this change and is counted below, or waits and then sees the new visibility;
    // a concurrent replace or rename waits, and this one works from the row as it left it.
    const s = await lockedSecret(tx, actor, workspaceId, secretId, role);
    if (s.orphaned) throw new AppError("FORBIDDEN", "A former member's private secret can only be deleted");
    assertMay(actor, role, permissionFor(actor, s), workspaceId, "secret.update", secretId);
    if (data.visibility === "public") assertMay(actor, role, "secret.manage", workspaceId, "secret.update", secretId);
    if (data.visibility === "private" && s.visibility === "public" && s.createdById !== actorUserId(actor)) {
      throw new AppError("FORBIDDEN", "Only its creator can make a public secret private");
    }
    if (data.name && data.name !== s.name && (await tx.secret.findUnique({ where: { workspaceId_name: { workspaceId, name: data.name } }, select: { id: true } }))) {
      throw new AppError("CONFLICT", `A secret named "${data.name}" already exists in this workspace`);
    }
    const renamed = data.name !== undefined && data.name !== s.name;
    // The name is in the value's AAD (SEC-05): a rename re-seals the value as version n+1 under
    // the new name, in this transaction (the old version is shredded, as on replace).
    const value = renamed ? await storedValue(tx, s, await tx.secretVersion.findFirstOrThrow({ where: { secretId: s.id }, orderBy: { version: "desc" } })) : null;
    let updated = await tx.secret.update({
      where: { id: s.id },
      data: {
        ...(data.name !== undefined ? { name: data.name } : {}),
        ...(data.envName !== undefined ? { envName: data.envName } : {}),
        ...(data.visibility !== undefined ? { visibility: data.visibility } : {}),
        ...(data.expiresAt !== undefined ? { expiresAt: data.expiresAt === null ? null : new Date(data.expiresAt) } : {}),
      },
    });
    if (value !== null) updated = await nextVersion(tx, updated, value);
    if (data.visibility === "private" && s.visibility === "public" && (await tx.workloadBinding.count({ where: { secretId: s.id } }))) {
      // Workloads of other members may use it: making it private would hand them someone's private secret.
      throw new AppError("CONFLICT", "Workloads use this secret; remove it from them before making it private");
    }
    await recordAudit(tx, actor, {
      workspaceId,
      action: "secret.update",
      target,
      metadata: { name: updated.name, changed: Object.keys(data), ...(renamed ? { from: s.name, version: updated.currentVersion } : {}) },
    });
    return presentSecret(updated);
  });
}

/** Replaces the value: version n+1; older versions are deleted. Bound workloads get the new value on their next call. */
export async function replaceSecretValue(actor: Actor, workspaceId: string, secretId: string, input: { value: unknown }): Promise<{ secret: SecretOutput; warnings: string[] }> {
  const { value } = parseInput(replaceSecretValueSchema, input);
  return inTransaction(actor, async (tx) => {
    const target = { type: "secret", id: secretId };
    const { role } = await authorize(tx, actor, workspaceId, "secret.read", { action: "secret.value.replace", target });
    // Locked (PostgreSQL): the next version is counted from the row as it is now, never from a copy
    // a concurrent replace or rename has moved past.
    const s = await lockedSecret(tx, actor, workspaceId, secretId, role);
    if (s.orphaned) throw new AppError("FORBIDDEN", "A former member's private secret can only be deleted");
    assertMay(actor, role, permissionFor(actor, s), workspaceId, "secret.value.replace", secretId);
    await assertNoForeignPrivateNeighbour(tx, actor, workspaceId, s.id);
    const warnings = presetCheck(s.preset as Preset, value);
    const updated = await nextVersion(tx, s, value);
    const version = updated.currentVersion;
    await recordAudit(tx, actor, { workspaceId, action: "secret.value.replace", target, metadata: { name: s.name, version } });
    log.debug({ secretId: s.id, workspaceId, version }, "secret value replaced");
    return { secret: presentSecret(updated), warnings };
  });
}

export async function deleteSecret(actor: Actor, workspaceId: string, secretId: string): Promise<{ id: string }> {
  return inTransaction(actor, async (tx) => {
    const target = { type: "secret", id: secretId };
    const { role } = await authorize(tx, actor, workspaceId, "secret.read", { action: "secret.delete", target });
    // Locked before the check (PostgreSQL): a concurrent bind waits, then finds it gone.
    const s = await lockedSecret(tx, actor, workspaceId, secretId, role);
    // Owners may delete a former member's private secret (it is visible to them only for this),
    // with secret.manage and a full-scope credential like any other change to another's secret.
    assertMay(actor, role, s.orphaned ? "secret.manage" : permissionFor(actor, s), workspaceId, "secret.delete", secretId);
    const users = await tx.workloadBinding.findMany({ where: { secretId: s.id }, select: { workload: { select: { name: true } } }, take: 5 });
    if (users.length) {
      throw new AppError("CONFLICT", `Workloads use this secret (${users.map((u) => u.workload.name).join(", ")}); remove it from them first`);
    }
    await tx.secret.delete({ where: { id: s.id } });
    await recordAudit(tx, actor, { workspaceId, action: "secret.delete", target, metadata: { name: s.name, visibility: s.visibility, orphaned: !!s.orphaned } });
    return { id: s.id };
  });
}

const digest = (v: string) => createHash("sha256").update(v, "utf8").digest();

/**
 * Says whether `value` equals the stored value, and nothing else. Limited per actor and secret,
 * compared in constant time, and audited (with the answer, never the candidate).
 */
export async function matchSecret(actor: Actor, workspaceId: string, secretId: string, input: { value: unknown }): Promise<{ match: boolean }> {
  const { value } = parseInput(matchSecretSchema, input);
  const who = actorUserId(actor) ?? (actor.type === "token" ? actor.tokenId : "system");
  const limit = await hit(`secret-match:${who}:${secretId}`, MATCH_WINDOW_MS);
  if (limit.count > MATCH_LIMIT) {
    // Only someone who may see the secret learns it is limited (429, audited as rate_limited); a
    // stranger gets the 404 that any other call of theirs gets (audited as any outsider's probe).
    await inRead(actor, async (db) => {
      const { role } = await authorizeRead(actor, workspaceId, "secret.read", { action: "secret.match", target: { type: "secret", id: secretId } });
      await visibleSecret(db, actor, workspaceId, secretId, role);
    });
    await recordDenied(actor, { workspaceId, action: "secret.match", target: { type: "secret", id: secretId }, metadata: { reason: "rate_limited" } });
    throw new AppError("RATE_LIMITED", `At most ${MATCH_LIMIT} match checks per secret every 10 minutes`, { retryAfterSeconds: limit.retryAfterSeconds });
  }
  return inTransaction(actor, async (tx) => {
    const target = { type: "secret", id: secretId };
    const { role } = await authorize(tx, actor, workspaceId, "secret.read", { action: "secret.match", target });
    // Share-locked (PostgreSQL): a rename or replace in progress finishes first, so the name (in
    // the AAD) and the newest version below belong together.
    const s = await lockedSecret(tx, actor, workspaceId, secretId, role, "share");
    if (s.orphaned) throw notFound("Secret");
    // An oracle on the value: not for read-only tokens.
    if (actor.type === "token" && !actor.scopes.includes("full")) {
      const err = forbidden("A match check needs a full-access token");
      err.denied = { workspaceId, action: "secret.match", target };
      throw err;
    }
    // The one version kept (older ones are deleted on replace and rename); the share lock above
    // keeps it and the name together.
    const v = await tx.secretVersion.findFirst({ where: { secretId: s.id }, orderBy: { version: "desc" } });
    if (!v) throw new AppError("INTERNAL", `The secret "${s.name}" has no stored value; replace it`);
    const stored = await storedValue(tx, s, v);
    const match = timingSafeEqual(digest(stored), digest(value));
    await recordAudit(tx, actor, { workspaceId, action: "secret.match", target, metadata: { name: s.name, matched: match } });
    return { match };
  });
}

/** The preset whose usual variable name KEY is (HF_TOKEN: huggingface), else custom. */
export function presetForEnvName(key: string): Preset {
  return PRESETS.find((p) => PRESET_INFO[p].envName === key) ?? "custom";
}

/**
 * Imports a dotenv file: each KEY=VALUE line becomes the secret named prefix + KEY, with KEY as its
 * variable name. Every line is classified first: `new`, `replaced` (exists, and `replace` was
 * asked), `skipped` (exists, and it was not) or `invalid` (a malformed line, a KEY given twice, a
 * bad name or value, a value its preset refuses, a secret the caller may not change). A dry run
 * answers that classification (the preview) and writes nothing; otherwise any invalid line answers
 * 422 with every bad line in `details`, and nothing is written. The apply is one transaction, with
 * one audit event per secret (`secret.create` / `secret.value.replace`, `source: "import"`) and a
 * `secret.import` summary: names and counts, never a value. No answer, log or error holds a value.
 */
export async function importSecrets(actor: Actor, workspaceId: string, input: ImportSecretsInput): Promise<ImportResult> {
  const data = parseInput(importSecretsSchema, input);
  const { entries, errors } = parseDotenv(data.dotenv);
  if (entries.length + errors.length > MAX_IMPORT_LINES) {
    throw new AppError("VALIDATION_FAILED", `A dotenv file may hold at most ${MAX_IMPORT_LINES} variables; this one has ${entries.length + errors.length}`, {
      details: [{ path: "dotenv", message: `must hold at most ${MAX_IMPORT_LINES} variables` }],
    });
  }
  if (!entries.length && !errors.length) {
    throw new AppError("VALIDATION_FAILED", "The file has no KEY=VALUE line: nothing to import", { details: [{ path: "dotenv", message: "has no KEY=VALUE line" }] });
  }
  return inTransaction(actor, async (tx) => {
    const permission = data.visibility === "public" ? "secret.manage" : "secret.create";
    const { role } = await authorize(tx, actor, workspaceId, permission, { action: "secret.import", target: { type: "workspace", id: workspaceId } });
    const me = actorUserId(actor);
    const names = entries.map((e) => `${data.prefix}${e.key}`);
    const existing = new Map((await tx.secret.findMany({ where: { workspaceId, name: { in: names } } })).map((s) => [s.name, s]));
    const lines: (ImportLine & { value?: string })[] = errors.map((e) => ({ line: e.line, key: null, name: null, status: "invalid", reason: e.message, preset: null, secretId: null, warnings: [] }));
    for (const e of entries) {
      const name = `${data.prefix}${e.key}`;
      const base = { line: e.line, key: e.key, name, secretId: null, warnings: [] as string[] };
      const invalid = (reason: string, preset: Preset | null = null) => lines.push({ ...base, status: "invalid", reason, preset });
      const badName = secretNameSchema.safeParse(name).error;
      if (badName) {
        invalid(`the secret name ${badName.issues[0]?.message ?? "is not valid"}`);
        continue;
      }
      const badValue = secretValueSchema.safeParse(e.value).error;
      if (badValue) {
        invalid(`the value ${badValue.issues[0]?.message ?? "is not valid"}`);
        continue;
      }
      const found = existing.get(name);
      // Another member's private secret: its name is taken (as create's 409 says), but neither its
      // id nor its preset is told, and no check against its preset runs (a line's validity would tell it).
      const hidden = found !== undefined && found.visibility !== "public" && (found.createdById === null || found.createdById !== me);
      if (found && !data.replace) {
        lines.push({ ...base, status: "skipped", reason: "a secret of this name exists (replace not chosen)", preset: hidden ? null : (found.preset as Preset), secretId: hidden ? null : found.id });
        continue;
      }
      if (found && hidden) {
        invalid("a secret of this name exists that you cannot change");
        continue;
      }
      const preset = found ? (found.preset as Preset) : presetForEnvName(e.key);
      const check = checkPreset(preset, e.value);
      if (check.errors.length) {
        invalid(`not a valid ${PRESET_INFO[preset].label}: ${check.errors[0]}`, preset);
        continue;
      }
      if (!found) {
        if (data.visibility === "private" && !me) invalid("a private secret belongs to a person: import as a user, or make them public", preset);
        else lines.push({ ...base, status: "new", reason: null, preset, warnings: check.warnings, value: e.value });
        continue;
      }
      const needed = permissionFor(actor, found);
      const refused = refusal(actor, role, needed);
      if (refused) {
        invalid(`a secret of this name exists: ${refused.charAt(0).toLowerCase()}${refused.slice(1)} on it`, preset);
        continue;
      }
      try {
        await assertNoForeignPrivateNeighbour(tx, actor, workspaceId, found.id);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        invalid(err.message, preset);
        continue;
      }
      lines.push({ ...base, status: "replaced", reason: null, preset, secretId: found.id, warnings: check.warnings, value: e.value });
    }
    lines.sort((a, b) => a.line - b.line);
    const counts = { new: 0, replaced: 0, skipped: 0, invalid: 0 };
    for (const l of lines) counts[l.status]++;
    const answer = (applied: boolean): ImportResult => ({ dryRun: data.dryRun, applied, counts, lines: lines.map(({ value: _value, ...l }) => l) });
    if (data.dryRun) return answer(false);
    if (counts.invalid) {
      const bad = lines.filter((l) => l.status === "invalid");
      throw new AppError("VALIDATION_FAILED", `${bad.length} line${bad.length === 1 ? " cannot" : "s cannot"} be imported (first: line ${bad[0]!.line}, ${bad[0]!.reason}); nothing was imported`, {
        details: bad.slice(0, 50).map((l) => ({ path: `dotenv.line.${l.line}`, message: l.reason ?? "cannot be imported" })),
      });
    }
    for (const l of lines) {
      if (l.status === "new") {
        const s = await tx.secret.create({
          data: { workspaceId, name: l.name!, preset: l.preset!, envName: l.key, visibility: data.visibility, createdById: me, currentVersion: 1 },
        });
        await writeVersion(tx, s, 1, l.value!);
        await recordAudit(tx, actor, { workspaceId, action: "secret.create", target: { type: "secret", id: s.id }, metadata: { name: s.name, preset: s.preset, visibility: s.visibility, version: 1, source: "import" } });
        l.secretId = s.id;
      } else if (l.status === "replaced") {
        // Read again, locked (PostgreSQL): the rules hold for the row as it is now.
        const s = await lockedSecret(tx, actor, workspaceId, l.secretId!, role);
        if (s.orphaned) throw new AppError("FORBIDDEN", "A former member's private secret can only be deleted");
        assertMay(actor, role, permissionFor(actor, s), workspaceId, "secret.value.replace", s.id);
        const updated = await nextVersion(tx, s, l.value!);
        await recordAudit(tx, actor, { workspaceId, action: "secret.value.replace", target: { type: "secret", id: s.id }, metadata: { name: s.name, version: updated.currentVersion, source: "import" } });
      }
    }
    const named = (status: ImportLine["status"]) => lines.filter((l) => l.status === status).map((l) => l.name!);
    await recordAudit(tx, actor, {
      workspaceId,
      action: "secret.import",
      target: { type: "workspace", id: workspaceId },
      metadata: { created: named("new"), replaced: named("replaced"), skipped: named("skipped"), visibility: data.visibility },
    });
    log.debug({ workspaceId, ...counts }, "secrets imported");
    return answer(true);
  });
}

export type SecretAction = "replace" | "match" | "edit" | "delete";

/** What `actor` (holding `role`) may do to a secret it can see: the service's own rules, for pages. */
export function secretActionsFor(actor: Actor, role: Role | null, s: SecretOutput): SecretAction[] {
  if (role === null) return [];
  if (s.orphaned) return role === "owner" ? ["delete"] : [];
  const may = roleCan(role, permissionFor(actor, { visibility: s.visibility, createdById: s.createdById }));
  return may ? ["match", "replace", "edit", "delete"] : ["match"];
}
