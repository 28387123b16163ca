// Envelope encryption of secret values (security.md §2.2, SEC-01..11):
//   master key (TESSERA_MASTER_KEY, versioned by id) --wraps--> workspace data key (32 random bytes)
//   data key --AES-256-GCM, random 96-bit nonce--> each secret version
// Additional authenticated data binds a wrapped key to its workspace and version, and a value to its
// workspace, secret and version, so a row copied or moved elsewhere fails to decrypt.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { config, type MasterKey } from "../config";
import { lockWorkspace, type Db, type Tx } from "../db/client";
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
export const valueAad = (workspaceId: string, secretId: string, version: number) => `tessera:secret:v1|${workspaceId}|${secretId}|${version}`;

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

/** The workspace's current data key (created on first use, in the caller's transaction). */
export async function currentDataKey(tx: Tx, workspaceId: string): Promise<{ key: Buffer; version: number }> {
  let row = await tx.workspaceKey.findFirst({ where: { workspaceId }, orderBy: { version: "desc" } });
  if (!row) {
    // Two first secrets at once must not both create version 1.
    await lockWorkspace(tx, workspaceId);
    row = await tx.workspaceKey.findFirst({ where: { workspaceId }, orderBy: { version: "desc" } });
  }
  if (!row) {
    const fresh = randomBytes(32);
    row = await tx.workspaceKey.create({ data: { workspaceId, version: 1, ...wrapDataKey(fresh, workspaceId, 1) } });
  }
  return { key: cachedUnwrap(row), version: row.version };
}

/** The data key of `version`, for reading. */
export async function dataKeyFor(db: Tx | Db, workspaceId: string, version: number): Promise<Buffer> {
  const cached = dataKeys.get(`${workspaceId}|${version}`);
  if (cached) return cached;
  const row = await db.workspaceKey.findUnique({ where: { workspaceId_version: { workspaceId, version } } });
  if (!row) throw new DecryptionError("A secret's data key");
  return cachedUnwrap(row);
}

export function encryptValue(dataKey: Buffer, workspaceId: string, secretId: string, version: number, value: string) {
  const { nonce, sealed } = seal(dataKey, Buffer.from(value, "utf8"), valueAad(workspaceId, secretId, version));
  return { iv: bytes(nonce), ciphertext: bytes(sealed) };
}

export function decryptValue(dataKey: Buffer, row: { workspaceId: string; secretId: string; version: number; iv: Uint8Array; ciphertext: Uint8Array }, name: string): string {
  return open(dataKey, Buffer.from(row.iv), Buffer.from(row.ciphertext), valueAad(row.workspaceId, row.secretId, row.version), `The secret "${name}"`).toString("utf8");
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
