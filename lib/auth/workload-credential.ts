// Short-lived workload credentials (security.md SEC-14): run-time injection never uses a long-lived
// token. A workload token bound to a workload exchanges itself (POST …/workloads/{id}/credentials)
// for a credential that
//   - lives at most 15 minutes (and never longer than the token it came from),
//   - is limited to one workspace and one workload (both signed into it),
//   - is accepted by one route only: GET …/workloads/{id}/env.
//
// Format: `tsr_wlc_<base64url JSON claims>.<base64url HMAC-SHA-256>`. The claims hold ids and times
// only; the MAC key is derived (HKDF) from a configured master key, whose id is in the claims, so
// credentials survive a master-key rotation while the old key is still configured. Nothing is
// stored: the signature is checked without the database, and the env query re-reads the parent
// token in the same statement, so cancelling the token (or rebinding it, or deleting the workload)
// stops its credentials at the very next request.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { config } from "../config";
import { derivedKey } from "./keys";

export const CREDENTIAL_PREFIX = "tsr_wlc_";
/** SEC-14: at most 15 minutes. */
export const MAX_CREDENTIAL_TTL_SECONDS = 15 * 60;
export const MIN_CREDENTIAL_TTL_SECONDS = 60;
const MAX_LENGTH = 1024;
const PURPOSE = "workload-credential:v1";

const claimsSchema = z.strictObject({
  v: z.literal(1),
  /** Master key id the MAC key was derived from. */
  k: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/),
  /** The parent workload token. */
  t: z.string().min(1).max(64),
  ws: z.string().min(1).max(64),
  wl: z.string().min(1).max(64),
  /** Issued at and expires at, in seconds since the epoch. */
  iat: z.number().int().nonnegative(),
  exp: z.number().int().nonnegative(),
  /** Makes every credential unique. */
  n: z.string().regex(/^[A-Za-z0-9_-]{16}$/),
});

export type CredentialClaims = z.infer<typeof claimsSchema>;

/** The parent token's view, once a credential's signature and times check out. */
export type WorkloadCredential = {
  tokenId: string;
  workspaceId: string;
  workloadId: string;
  expiresAt: Date;
};

function mac(keyId: string, body: string): Buffer | null {
  const master = config().masterKeys.find((m) => m.id === keyId);
  if (!master) return null;
  return createHmac("sha256", derivedKey(master, PURPOSE)).update(body, "utf8").digest();
}

export function issueCredentialValue(input: { tokenId: string; workspaceId: string; workloadId: string; expiresAt: Date; now?: Date }): string {
  const active = config().masterKeys[0]!;
  const now = input.now ?? new Date();
  const claims: CredentialClaims = {
    v: 1,
    k: active.id,
    t: input.tokenId,
    ws: input.workspaceId,
    wl: input.workloadId,
    iat: Math.floor(now.getTime() / 1000),
    exp: Math.floor(input.expiresAt.getTime() / 1000),
    n: randomBytes(12).toString("base64url"),
  };
  const body = CREDENTIAL_PREFIX + Buffer.from(JSON.stringify(claims)).toString("base64url");
  return `${body}.${mac(active.id, body)!.toString("base64url")}`;
}

export function isCredentialValue(value: string): boolean {
  return value.startsWith(CREDENTIAL_PREFIX);
}

export type CredentialCheck = { ok: true; credential: WorkloadCredential } | { ok: false; reason: "malformed" | "unknown" | "expired" };

/**
 * Checks a presented credential without the database: shape, signature (constant time, under the
 * master key it names), then expiry. The caller still checks the parent token's current state.
 */
export function checkCredentialValue(value: string, now = Date.now()): CredentialCheck {
  if (value.length > MAX_LENGTH || !value.startsWith(CREDENTIAL_PREFIX)) return { ok: false, reason: "malformed" };
  const m = /^(tsr_wlc_[A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/.exec(value);
  if (!m) return { ok: false, reason: "malformed" };
  const [, body, sig] = m;
  let claims: CredentialClaims;
  try {
    const parsed = claimsSchema.safeParse(JSON.parse(Buffer.from(body!.slice(CREDENTIAL_PREFIX.length), "base64url").toString("utf8")));
    if (!parsed.success) return { ok: false, reason: "malformed" };
    claims = parsed.data;
  } catch {
    return { ok: false, reason: "malformed" };
  }
  const expected = mac(claims.k, body!);
  const given = Buffer.from(sig!, "base64url");
  // An unknown key id and a wrong signature look the same to the caller.
  if (!expected || given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "unknown" };
  if (claims.exp * 1000 <= now) return { ok: false, reason: "expired" };
  return { ok: true, credential: { tokenId: claims.t, workspaceId: claims.ws, workloadId: claims.wl, expiresAt: new Date(claims.exp * 1000) } };
}
