// `npm run keys:rotate`: re-wraps every workspace data key under the active master key (the first
// in TESSERA_MASTER_KEY), while the app keeps serving. Each key is one small transaction that
// only succeeds if nobody re-wrapped it meanwhile, so it can run beside any number of instances.
// Rotation: 1. put the new key first in TESSERA_MASTER_KEY, keep the old one after it, restart the
// instances; 2. run this; 3. remove the old key and restart.
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
const active = config().masterKeys[0]!.id;
console.log(`tessera: re-wrapping data keys under master key "${active}"…`);
try {
  const { rewrapped, total, failed } = await rewrapDataKeys(db(), (done, all) => {
    if (done % 100 === 0 || done === all) console.log(`tessera: ${done}/${all}`);
  });
  for (const f of failed) console.error(`tessera: workspace ${f.workspaceId} data key v${f.version} was not re-wrapped: ${f.reason}`);
  const left = await db().workspaceKey.count({ where: { masterKeyId: { not: active } } });
  console.log(`tessera: re-wrapped ${rewrapped} of ${total} data keys; ${left} still under another master key.`);
  if (left === 0) console.log(`tessera: older master keys can now be removed from TESSERA_MASTER_KEY.`);
  await closeDb();
  process.exit(left === 0 ? 0 : 1);
} catch (err) {
  console.error(`tessera: rotation failed: ${err instanceof Error ? err.message : String(err)}`);
  await closeDb();
  process.exit(1);
}
