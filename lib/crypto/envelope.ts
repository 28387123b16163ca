// Envelope encryption of secret values (security.md §2.2, SEC-01..11):
//   master key (TESSERA_MASTER_KEY, versioned by id) --wraps--> workspace data key (32 random bytes)
//   data key --AES-256-GCM, random 96-bit nonce--> each secret version
// Additional authenticated data binds a wrapped key to its workspace and version, and a value to its
// workspace, secret and version, so a row copied or moved elsewhere fails to decrypt.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { config, type MasterKey } from "../config";
import { dbProvider, type Db, type Tx } from "../db/client";
import { AppError } from "../errors";

const ALGORITHM = "aes-256-gcm";
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;

export class DecryptionError extends AppError {
  constructor(what: string) {
    super("INTERNAL", `${what} could not be decrypted: it was altered, or moved from another place. Replace it.`);
    this.name = "DecryptionError";
  }
}

export function seal(key: Buffer, plaintext: Buffer, aad: string): { nonce: Buffer; sealed: Buffer } {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, nonce);
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { nonce, sealed: Buffer.concat([body, cipher.getAuthTag()]) };
}

/** Opens `sealed` (ciphertext + 16-byte tag); any change to key, nonce, data, tag or AAD throws. */
export function open(key: Buffer, nonce: Buffer, sealed: Buffer, aad: string, what: string): Buffer {
  if (nonce.length !== NONCE_BYTES || sealed.length < TAG_BYTES) throw new DecryptionError(what);
  try {
    const decipher = createDecipheriv(ALGORITHM, key, nonce);
    decipher.setAAD(Buffer.from(aad, "utf8"));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new DecryptionError(what);
  }
}

/** Prisma's Bytes columns take a Uint8Array backed by a plain ArrayBuffer. */
const bytes = (b: Buffer): Uint8Array<ArrayBuffer> => new Uint8Array(b);

const keyAad = (workspaceId: string, version: number) => `tessera:data-key:v1|${workspaceId}|${version}`;
/** The AAD layout new values are sealed with (SecretVersion.aadScheme). */
export const AAD_SCHEME = 2;
/**
 * A value's AAD. Scheme 2 (current) binds workspace, secret, version and the secret's name, so a
 * row renamed or moved without re-encrypting fails (SEC-05); renaming through the service re-seals
 * the value. Scheme 1, without the name, is read for values sealed before names were bound.
 */
export const valueAad = (workspaceId: string, secretId: string, version: number, name: string, scheme: number = AAD_SCHEME) =>
  scheme === 1 ? `tessera:secret:v1|${workspaceId}|${secretId}|${version}` : `tessera:secret:v2|${workspaceId}|${secretId}|${version}|${name}`;

function masterKey(id: string): MasterKey {
  const key = config().masterKeys.find((k) => k.id === id);
  if (!key) throw new AppError("SERVICE_UNAVAILABLE", `Master key "${id}" is not configured (TESSERA_MASTER_KEY); stored secrets cannot be read`);
  return key;
}

/** Wraps a data key under the active master key: nonce ‖ ciphertext ‖ tag. */
export function wrapDataKey(dataKey: Buffer, workspaceId: string, version: number, master = config().masterKeys[0]!): { wrappedKey: Uint8Array<ArrayBuffer>; masterKeyId: string } {
  const { nonce, sealed } = seal(master.key, dataKey, keyAad(workspaceId, version));
  return { wrappedKey: bytes(Buffer.concat([nonce, sealed])), masterKeyId: master.id };
}

export function unwrapDataKey(row: { workspaceId: string; version: number; wrappedKey: Uint8Array; masterKeyId: string }): Buffer {
  const wrapped = Buffer.from(row.wrappedKey);
  return open(masterKey(row.masterKeyId).key, wrapped.subarray(0, NONCE_BYTES), wrapped.subarray(NONCE_BYTES), keyAad(row.workspaceId, row.version), "The workspace's data key");
}

// Unwrapped data keys by workspace and version. A data key's bytes never change for a
// (workspace, version), whichever master key wraps it, so a re-wrap needs no invalidation.
// Bounded; keys of deleted workspaces simply age out.
const dataKeys = new Map<string, Buffer>();
const MAX_CACHED = 10_000;

type KeyRow = { workspaceId: string; version: number; wrappedKey: Uint8Array; masterKeyId: string };

// Data keys made by a transaction that has not committed yet, by transaction: never cached (if it
// rolls back, another writer makes the same version with other bytes, and a cached copy would
// seal values with a key that was never stored). Forgotten with the transaction object.
const uncommitted = new WeakMap<object, Set<string>>();

function unwrapIn(db: Tx | Db, row: KeyRow & { id: string }): Buffer {
  return uncommitted.get(db)?.has(row.id) ? unwrapDataKey(row) : cachedUnwrap(row);
}

function cachedUnwrap(row: KeyRow): Buffer {
  const id = `${row.workspaceId}|${row.version}`;
  let key = dataKeys.get(id);
  if (!key) {
    key = unwrapDataKey(row);
    if (dataKeys.size >= MAX_CACHED) dataKeys.delete(dataKeys.keys().next().value!);
    dataKeys.set(id, key);
  }
  return key;
}

/** Forgets unwrapped data keys (tests: to exercise unwrapping, e.g. after a rotation). */
export function clearDataKeyCache(): void {
  dataKeys.clear();
}

/** What happened when a data key reached its limit (the caller records it in its transaction). */
export type DataKeyRotation = { fromVersion: number; toVersion: number; encryptions: number; limit: number };

/**
 * The workspace's current data key for sealing ONE value, in the caller's transaction: created on
 * first use, and counted (SEC-16). Once a key has sealed `TESSERA_DATA_KEY_ROTATE_AFTER` values
 * (default 2^30, far below the 2^32 random-nonce bound of NIST SP 800-38D), a new version with a
 * fresh key takes over new writes; older versions stay for reading what they sealed.
 */
export async function currentDataKey(tx: Tx, workspaceId: string): Promise<{ key: Buffer; version: number; rotated: DataKeyRotation | null }> {
  const limit = config().dataKeyRotateAfter;
  let rotated: DataKeyRotation | null = null;
  // At most a few rounds: each one either counts this value under the latest key or adds the next
  // version. Concurrent writers (PostgreSQL) meet on the key row's lock (the UPDATE) and on the
  // unique (workspace, version) index (the INSERT … ON CONFLICT DO NOTHING), never on the workspace
  // row, which the caller's own inserts have already share-locked (locking it here would deadlock).
  // A key made in this transaction is not cached by it (see `uncommitted`).
  for (let round = 0; round < 5; round++) {
    const row = await tx.workspaceKey.findFirst({ where: { workspaceId }, orderBy: { version: "desc" } });
    if (!row) {
      await insertDataKey(tx, workspaceId, 1);
      continue;
    }
    // Counted in the same transaction as the value it seals (a rolled-back write does not count),
    // and only while under the limit: PostgreSQL re-checks the condition after a concurrent commit.
    const { count } = await tx.workspaceKey.updateMany({ where: { id: row.id, encryptions: { lt: limit } }, data: { encryptions: { increment: 1 } } });
    if (count === 1) return { key: unwrapIn(tx, row), version: row.version, rotated };
    if (await insertDataKey(tx, workspaceId, row.version + 1)) {
      rotated = { fromVersion: row.version, toVersion: row.version + 1, encryptions: Math.max(row.encryptions, limit), limit };
    }
  }
  throw new AppError("CONFLICT", "The workspace's data key is being rotated by many writes at once; try again");
}

/** Adds data key `version` unless it exists already (another writer made it): its id when this call made it. */
async function insertDataKey(tx: Tx, workspaceId: string, version: number): Promise<string | null> {
  const { wrappedKey, masterKeyId } = wrapDataKey(randomBytes(32), workspaceId, version);
  const id = `c${Date.now().toString(36)}${randomBytes(8).toString("hex")}`;
  const now = new Date().toISOString().replace("Z", "+00:00");
  const pg = dbProvider() === "postgres";
  const at = (i: number) => (pg ? `$${i}::timestamp(3)` : "?");
  const marks = [1, 2, 3, 4, 5].map((i) => (pg ? `$${i}` : "?"));
  const made = await tx.$executeRawUnsafe(
    `INSERT INTO "WorkspaceKey" ("id", "workspaceId", "version", "wrappedKey", "masterKeyId", "encryptions", "createdAt", "updatedAt")
     VALUES (${marks.join(", ")}, 0, ${at(6)}, ${at(7)}) ON CONFLICT ("workspaceId", "version") DO NOTHING`,
    id,
    workspaceId,
    version,
    wrappedKey,
    masterKeyId,
    now,
    now,
  );
  if (made !== 1) return null;
  const mine = uncommitted.get(tx) ?? new Set<string>();
  uncommitted.set(tx, mine.add(id));
  return id;
}

/** The data key of `version`, for reading. */
export async function dataKeyFor(db: Tx | Db, workspaceId: string, version: number): Promise<Buffer> {
  const cached = dataKeys.get(`${workspaceId}|${version}`);
  if (cached) return cached;
  const row = await db.workspaceKey.findUnique({ where: { workspaceId_version: { workspaceId, version } } });
  if (!row) throw new DecryptionError("A secret's data key");
  return unwrapIn(db, row);
}

export function encryptValue(dataKey: Buffer, place: { workspaceId: string; secretId: string; version: number; name: string }, value: string) {
  const { nonce, sealed } = seal(dataKey, Buffer.from(value, "utf8"), valueAad(place.workspaceId, place.secretId, place.version, place.name));
  return { iv: bytes(nonce), ciphertext: bytes(sealed), aadScheme: AAD_SCHEME };
}

/** Opens a stored value where it stands: its workspace, secret, version and name (the AAD). */
export function decryptValue(
  dataKey: Buffer,
  row: { workspaceId: string; secretId: string; version: number; name: string; aadScheme: number; iv: Uint8Array; ciphertext: Uint8Array },
): string {
  const aad = valueAad(row.workspaceId, row.secretId, row.version, row.name, row.aadScheme);
  return open(dataKey, Buffer.from(row.iv), Buffer.from(row.ciphertext), aad, `The secret "${row.name}"`).toString("utf8");
}

/** Master key ids that stored data keys need but the configuration lacks (start-up refuses them). */
export async function missingMasterKeys(db: Db): Promise<string[]> {
  const used = await db.workspaceKey.groupBy({ by: ["masterKeyId"] });
  const configured = new Set(config().masterKeys.map((k) => k.id));
  return used.map((u) => u.masterKeyId).filter((id) => !configured.has(id));
}

/**
 * Re-wraps every data key that is not under the active master key (the rotation command).
 * One row per transaction, compare-and-swap on the old bytes, so it runs beside a serving app.
 */
export async function rewrapDataKeys(
  db: Db,
  onProgress?: (done: number, total: number) => void,
): Promise<{ rewrapped: number; total: number; failed: { workspaceId: string; version: number; reason: string }[] }> {
  const active = config().masterKeys[0]!;
  const stale = await db.workspaceKey.findMany({ where: { masterKeyId: { not: active.id } } });
  let rewrapped = 0;
  // A damaged or unreadable key is reported and skipped: it must not stop the others' rotation.
  const failed: { workspaceId: string; version: number; reason: string }[] = [];
  for (const row of stale) {
    try {
      const plain = unwrapDataKey(row);
      const next = wrapDataKey(plain, row.workspaceId, row.version, active);
      const { count } = await db.$transaction((tx) => tx.workspaceKey.updateMany({ where: { id: row.id, masterKeyId: row.masterKeyId }, data: next }));
      rewrapped += count;
    } catch (err) {
      failed.push({ workspaceId: row.workspaceId, version: row.version, reason: err instanceof Error ? err.message : String(err) });
    }
    onProgress?.(rewrapped + failed.length, stale.length);
  }
  return { rewrapped, total: stale.length, failed };
}
