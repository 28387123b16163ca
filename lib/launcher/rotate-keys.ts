// `npm run keys:rotate`: re-wraps every workspace data key, and re-seals every second-factor (TOTP)
// key, under the active master key (the first in TESSERA_MASTER_KEY), while the app keeps serving. Each key is one small transaction that
// only succeeds if nobody re-wrapped it meanwhile, so it can run beside any number of instances.
// Rotation: 1. put the new key first in TESSERA_MASTER_KEY, keep the old one after it, restart the
// instances; 2. run this; 3. remove the old key and restart, once no live token needs it (this
// command says which and until when: token hashes cannot be re-made, their values are not stored).
import nextEnv from "@next/env";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");
nextEnv.loadEnvConfig(ROOT, false, { info: () => {}, error: (m: string) => console.error(m) });

const { config, ConfigError } = await import("../config");
try {
  config();
} catch (err) {
  console.error(`tessera: configuration error: ${err instanceof ConfigError ? err.message : String(err)}`);
  process.exit(1);
}
const { db, closeDb } = await import("../db/client");
const { rewrapDataKeys } = await import("../crypto/envelope");
const { rewrapTotpKeys, totpKeysUnderOlderKeys, usersWithRecoveryCodes } = await import("../services/mfa");
const { tokenHashKeysInUse } = await import("../db/migrate");
const active = config().masterKeys[0]!.id;
console.log(`tessera: re-wrapping data keys under master key "${active}"…`);
try {
  const { rewrapped, total, failed } = await rewrapDataKeys(db(), (done, all) => {
    if (done % 100 === 0 || done === all) console.log(`tessera: ${done}/${all}`);
  });
  for (const f of failed) console.error(`tessera: workspace ${f.workspaceId} data key v${f.version} was not re-wrapped: ${f.reason}`);
  const dataKeysLeft = await db().workspaceKey.count({ where: { masterKeyId: { not: active } } });
  console.log(`tessera: re-wrapped ${rewrapped} of ${total} data keys; ${dataKeysLeft} still under another master key.`);
  // Second-factor keys: "<master key id>.<nonce>.<sealed>" in the user row (lib/auth/totp.ts).
  const totp = await rewrapTotpKeys(db());
  for (const f of totp.failed) console.error(`tessera: the second-factor key of user ${f.userId} was not re-sealed: ${f.reason}`);
  const totpLeft = await totpKeysUnderOlderKeys(db());
  console.log(`tessera: re-sealed ${totp.rewrapped} of ${totp.total} second-factor keys; ${totpLeft} still under another master key.`);
  const left = dataKeysLeft + totpLeft;
  // Tokens, sessions and invitation links are stored as HMACs under a key derived from the master
  // key of their day. Their values are not stored, so they cannot be re-hashed: an older master key
  // must stay configured until what was made under it has expired, or it fails with a 401.
  const now = new Date();
  // The same query start-up warns with: live keys other than the active one.
  const tokens = (await tokenHashKeysInUse(config().database)).filter((t) => t.id !== active && t.latestExpiry > now);
  const sessions = await db().session.aggregate({ where: { revokedAt: null, expiresAt: { gt: now } }, _count: { _all: true }, _max: { expiresAt: true } });
  const invitations = await db().invitation.aggregate({
    where: { acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
    _count: { _all: true },
    _max: { expiresAt: true },
  });
  const day = (d: Date | null | undefined) => (d ? d.toISOString().slice(0, 16).replace("T", " ") + " UTC" : "–");
  for (const t of tokens) {
    console.log(
      `tessera: up to ${t.count} active token(s) were made under master key "${t.id}" and are checked with it until they expire ` +
        `(the last on ${day(t.latestExpiry)}): keep that key in TESSERA_MASTER_KEY until then, or they fail with 401.`,
    );
  }
  const others = config().masterKeys.length > 1;
  // Recovery codes are HMACs (their values are not stored), checked with every configured key.
  const withCodes = others ? await usersWithRecoveryCodes(db()) : 0;
  if (withCodes) {
    console.log(
      `tessera: ${withCodes} user(s) have unused recovery codes; those made before the new key took over are checked with the older key: ` +
        `once it is removed they stop working (authenticator apps keep working) until their owners make new ones on the Account page.`,
    );
  }
  if (others && (sessions._count._all || invitations._count._all)) {
    console.log(
      `tessera: sessions (${sessions._count._all}, the last ends ${day(sessions._max.expiresAt)}) and pending invitation links ` +
        `(${invitations._count._all}, the last expires ${day(invitations._max.expiresAt)}) made before the new key took over are checked with the older key too.`,
    );
  }
  if (left === 0 && tokens.length === 0) console.log(`tessera: data keys and second-factor keys are done and no token needs an older key: older master keys can be removed from TESSERA_MASTER_KEY (sign-ins made before the new key took over end${withCodes ? ", and so do recovery codes made before it: see above" : ""}).`);
  else if (left === 0) console.log(`tessera: data keys and second-factor keys are done; remove the older master key once the tokens above have expired (or have been replaced).`);
  await closeDb();
  process.exit(left === 0 ? 0 : 1);
} catch (err) {
  console.error(`tessera: rotation failed: ${err instanceof Error ? err.message : String(err)}`);
  await closeDb();
  process.exit(1);
}
