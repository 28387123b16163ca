// The world the fuzzer sends requests into: two active workspaces with members of every role, the
// callers' credentials, and real resources (secrets, workloads, invitations, tokens, a device
// code), made through the services on the server's own database. It also hashes the state a
// refused write must leave alone, and repairs the world when a successful write took a caller away.
//
// Every application module is imported lazily: the script (tests/fuzz/run.ts) sets DATABASE_URL
// and the keys before the first import reads the configuration.
import { createHash, randomBytes } from "node:crypto";

export const CALLERS = [
  "anonymous",
  "malformed",
  "expired",
  "revoked",
  "viewer",
  "member",
  "admin",
  "owner",
  "narrowWorkspaceToken",
  "workloadToken",
  "workloadCredential",
  "otherAdmin",
  "platformAdmin",
] as const;
export type Caller = (typeof CALLERS)[number];

/** Kinds of real values a request may carry (path ids and body fields). */
export type Pools = {
  workspace: string[];
  user: string[];
  token: string[];
  secret: string[];
  workload: string[];
  invitation: string[];
  deviceCode: string[];
  tokenValue: string[];
  workspaceName: string[];
};

export type World = {
  /** The fuzzed workspace, and the other admin's. */
  workspaceId: string;
  otherWorkspaceId: string;
  /** The Authorization value of each caller (none for anonymous). */
  auth: Record<Caller, string | undefined>;
  /** Ids that must keep working for the callers; a successful write that breaks one rebuilds the world. */
  vital: { tokenIds: string[]; userIds: string[]; workloadId: string; credentialIssuedAt: number };
  /** Real ids and values, the first ones of the fuzzed workspace, then the other workspace's. */
  pools: Pools;
  /** Users whose rows belong to the hashed state. */
  userIds: string[];
};

/** The credential (15 minutes at most) is renewed well before it expires. */
const CREDENTIAL_MAX_AGE_MS = 10 * 60_000;

function longName(prefix: string): string {
  // A long random name, so that a random `confirmName` almost never deletes a workspace (the real one is in the pools).
  return `${prefix} ${randomBytes(12).toString("hex")}`;
}

export async function buildWorld(): Promise<World> {
  const { db } = await import("@/lib/db/client");
  const { makeToken, makeUser, makeWorkspace, meta } = await import("../helpers/fixtures");
  const { createSecret } = await import("@/lib/services/secrets");
  const { createWorkload, issueWorkloadCredential } = await import("@/lib/services/workloads");
  const { createInvitation } = await import("@/lib/services/invitations");
  const { startDevice } = await import("@/lib/services/device");
  const { updateToken } = await import("@/lib/services/tokens");

  const a = await makeWorkspace({ name: longName("Fuzz"), active: true, roles: ["admin", "member", "viewer"] });
  const b = await makeWorkspace({ name: longName("Other"), active: true, roles: ["admin"] });
  const { owner, admin, member, viewer } = { ...a.members, owner: a.owner } as Required<typeof a.members>;
  const otherAdmin = b.members.admin!;
  const ws = a.workspace.id;

  const platform = await makeUser("platform");
  await db().user.update({ where: { id: platform.userId }, data: { isPlatformAdmin: true } });
  await db().membership.create({ data: { workspaceId: b.workspace.id, userId: platform.userId, role: "member" } });
  const platformActor = { ...platform, isPlatformAdmin: true };

  // A viewer cannot mint tokens: its token is minted while it is a member, then the role goes back to viewer.
  const viewerMembership = { workspaceId_userId: { workspaceId: ws, userId: viewer.userId } };
  await db().membership.update({ where: viewerMembership, data: { role: "member" } });
  const viewerToken = await makeToken(viewer, ws, { name: "fuzz viewer", expiresInDays: 30 });
  await db().membership.update({ where: viewerMembership, data: { role: "viewer" } });
  const tokens = {
    owner: await makeToken(owner, ws, { name: "fuzz owner", expiresInDays: 30 }),
    admin: await makeToken(admin, ws, { name: "fuzz admin", expiresInDays: 30 }),
    member: await makeToken(member, ws, { name: "fuzz member", expiresInDays: 30 }),
    viewer: viewerToken,
    narrow: await makeToken(owner, ws, { name: "fuzz read-only", kind: "workspace", role: "member", scopes: ["read"], expiresInDays: 30 }),
    other: await makeToken(otherAdmin, b.workspace.id, { name: "fuzz other", expiresInDays: 30 }),
    platform: await makeToken(platformActor, b.workspace.id, { name: "fuzz platform", scopes: ["full", "platform"], expiresInDays: 30 }),
    expired: await makeToken(member, ws, { name: "fuzz expired", expiresInDays: 1 }),
    revoked: await makeToken(member, ws, { name: "fuzz revoked", expiresInDays: 1 }),
  };
  await db().token.update({ where: { id: tokens.expired.id }, data: { expiresAt: new Date(Date.now() - 60_000) } });
  await updateToken(member, ws, tokens.revoked.id, { action: "cancel" });

  const ownerSecret = await createSecret(owner, ws, { name: "fuzz-public", value: randomBytes(16).toString("hex"), visibility: "public", envName: "FUZZ_PUBLIC" });
  const memberSecret = await createSecret(member, ws, { name: "fuzz-private", value: randomBytes(16).toString("hex") });
  const registry = await createSecret(owner, ws, {
    name: "fuzz-registry",
    preset: "registry",
    value: { server: "registry.example.test", username: "fuzz", password: randomBytes(8).toString("hex") },
  });
  const workload = await createWorkload(owner, ws, {
    name: "fuzz-serve",
    kind: "endpoint",
    bindings: [
      { envName: "FUZZ_PUBLIC", secretId: ownerSecret.secret.id },
      { envName: "LOG_LEVEL", value: "debug" },
    ],
  });
  const workloadToken = await makeToken(owner, ws, { name: "fuzz workload", kind: "workload", workloadId: workload.id, expiresInDays: 30 });
  const credential = await issueWorkloadCredential(workloadToken.actor, ws, workload.id, {});
  const invitation = await createInvitation(owner, ws, { email: `invitee-${randomBytes(4).toString("hex")}@example.test`, role: "member" });
  // From an address of its own: device logins are limited per address, and the world may be rebuilt many times.
  const [x, y] = randomBytes(2);
  const device = await startDevice({ machineName: "fuzz-host", workspaceId: ws }, meta({ ip: `172.16.${x}.${y}` }));

  const otherSecret = await createSecret(otherAdmin, b.workspace.id, { name: "other-public", value: randomBytes(16).toString("hex"), visibility: "public" });
  const otherWorkload = await createWorkload(otherAdmin, b.workspace.id, { name: "other-serve", kind: "job" });

  const bearer = (v: string) => `Bearer ${v}`;
  const vitalTokens = [tokens.owner, tokens.admin, tokens.member, tokens.viewer, tokens.narrow, tokens.other, tokens.platform, workloadToken];
  const userIds = [owner.userId, admin.userId, member.userId, viewer.userId, otherAdmin.userId, platform.userId];
  return {
    workspaceId: ws,
    otherWorkspaceId: b.workspace.id,
    auth: {
      anonymous: undefined,
      // The right prefix and length, a wrong checksum: refused before any database work.
      malformed: bearer(`${tokens.member.value.slice(0, -4)}${tokens.member.value.endsWith("AAAA") ? "BBBB" : "AAAA"}`),
      expired: bearer(tokens.expired.value),
      revoked: bearer(tokens.revoked.value),
      viewer: bearer(tokens.viewer.value),
      member: bearer(tokens.member.value),
      admin: bearer(tokens.admin.value),
      owner: bearer(tokens.owner.value),
      narrowWorkspaceToken: bearer(tokens.narrow.value),
      workloadToken: bearer(workloadToken.value),
      workloadCredential: bearer(credential.credential),
      otherAdmin: bearer(tokens.other.value),
      platformAdmin: bearer(tokens.platform.value),
    },
    vital: { tokenIds: vitalTokens.map((t) => t.id), userIds, workloadId: workload.id, credentialIssuedAt: Date.now() },
    pools: {
      workspace: [ws, b.workspace.id],
      user: [member.userId, viewer.userId, admin.userId, owner.userId, otherAdmin.userId, platform.userId],
      token: [tokens.expired.id, tokens.revoked.id, ...vitalTokens.map((t) => t.id)],
      secret: [ownerSecret.secret.id, memberSecret.secret.id, registry.secret.id, otherSecret.secret.id],
      workload: [workload.id, otherWorkload.id],
      invitation: [invitation.invitation.id],
      deviceCode: [device.deviceCode],
      tokenValue: [tokens.member.value, tokens.expired.value, tokens.revoked.value, workloadToken.value, credential.credential],
      workspaceName: [a.workspace.name, b.workspace.name],
    },
    userIds,
  };
}

/**
 * Whether every caller still works as built: a successful write may have deleted a workspace, a
 * member or a token, changed a role, disabled a user, or deleted the workload.
 */
export async function worldIntact(w: World): Promise<boolean> {
  const { db } = await import("@/lib/db/client");
  if (Date.now() - w.vital.credentialIssuedAt > CREDENTIAL_MAX_AGE_MS) return false;
  const [workspaces, tokens, users, workload, memberships] = await Promise.all([
    db().workspace.count({ where: { id: { in: [w.workspaceId, w.otherWorkspaceId] }, status: "active" } }),
    db().token.findMany({ where: { id: { in: w.vital.tokenIds } }, select: { status: true, expiresAt: true, role: true, scopes: true, workloadId: true } }),
    db().user.count({ where: { id: { in: w.vital.userIds }, disabledAt: null } }),
    db().workload.count({ where: { id: w.vital.workloadId } }),
    db().membership.findMany({ where: { userId: { in: w.vital.userIds } }, select: { workspaceId: true, userId: true, role: true } }),
  ]);
  const soon = Date.now() + 60 * 60_000;
  if (workspaces !== 2 || users !== w.vital.userIds.length || workload !== 1) return false;
  if (tokens.length !== w.vital.tokenIds.length || tokens.some((t) => t.status !== "active" || t.expiresAt.getTime() < soon)) return false;
  if (tokens.some((t) => t.workloadId !== null && t.workloadId !== w.vital.workloadId)) return false;
  // The roles as built: owner, admin, member, viewer of the first workspace; the other admin; the platform admin's membership.
  const expected = ["owner", "admin", "member", "viewer", "admin", "member"];
  const roleOf = (userId: string) => memberships.filter((m) => m.userId === userId).map((m) => m.role);
  const tokenWorkload = tokens.filter((t) => t.workloadId === w.vital.workloadId).length;
  if (tokenWorkload !== 1) return false;
  return w.vital.userIds.every((id, i) => roleOf(id).length === 1 && roleOf(id)[0] === expected[i]);
}

// --- The state a refused write must not change ------------------------------------------------

/**
 * A snapshot of both workspaces (every row of every workspace-scoped table, ordered by id) and of
 * the fixture users, plus the row count of the global tables. Left out, on purpose:
 * - AuditEvent: refused attempts are audited by design (FORBIDDEN is "audited"; 401s may be too);
 * - RateLimit: refused attempts count toward limits by design (that is what a limit is);
 * - Token.lastUsedAt/lastUsedIp, Membership.lastActiveAt, User.lastActiveAt and their rows'
 *   updatedAt: stamped when a credential is used, before the request is judged;
 * - DeviceAuthorization.lastPolledAt and its updatedAt: a poll answered 400 (authorization_pending,
 *   slow_down) records the poll, as RFC 8628's slow_down needs.
 * Global counts do include AuditEvent's neighbours: a refused write must not create a workspace,
 * user, token, secret, workload or invitation anywhere.
 */
export type Snapshot = Map<string, string>;

function stable(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v instanceof Uint8Array) return `bytes:${createHash("sha256").update(v).digest("hex")}`;
    return v;
  });
}

function omit<T extends object>(rows: T[], keys: string[]): unknown[] {
  return rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !keys.includes(k))));
}

export async function snapshot(w: World): Promise<Snapshot> {
  const { db } = await import("@/lib/db/client");
  const ids = [w.workspaceId, w.otherWorkspaceId];
  const inWs = { workspaceId: { in: ids } };
  const byId = { orderBy: { id: "asc" as const } };
  const d = db();
  const [workspaces, memberships, invitations, tokens, secrets, versions, keys, workloads, bindings, devices, users, sessions, counts] = await Promise.all([
    d.workspace.findMany({ where: { id: { in: ids } }, ...byId }),
    d.membership.findMany({ where: inWs, ...byId }),
    d.invitation.findMany({ where: inWs, ...byId }),
    d.token.findMany({ where: inWs, ...byId }),
    d.secret.findMany({ where: inWs, ...byId }),
    d.secretVersion.findMany({ where: { secret: inWs }, ...byId }),
    d.workspaceKey.findMany({ where: inWs, ...byId }),
    d.workload.findMany({ where: inWs, ...byId }),
    d.workloadBinding.findMany({ where: { workload: inWs }, ...byId }),
    d.deviceAuthorization.findMany({ where: { OR: [{ workspaceId: { in: ids } }, { requestedWorkspaceId: { in: ids } }] }, ...byId }),
    d.user.findMany({ where: { id: { in: w.userIds } }, ...byId }),
    d.session.findMany({ where: { userId: { in: w.userIds } }, ...byId }),
    Promise.all([d.workspace.count(), d.user.count(), d.token.count(), d.secret.count(), d.workload.count(), d.invitation.count(), d.membership.count()]),
  ]);
  return new Map<string, string>([
    ["Workspace", stable(workspaces)],
    ["Membership", stable(omit(memberships, ["lastActiveAt", "updatedAt"]))],
    ["Invitation", stable(invitations)],
    ["Token", stable(omit(tokens, ["lastUsedAt", "lastUsedIp", "updatedAt"]))],
    ["Secret", stable(secrets)],
    ["SecretVersion", stable(versions)],
    ["WorkspaceKey", stable(keys)],
    ["Workload", stable(workloads)],
    ["WorkloadBinding", stable(bindings)],
    ["DeviceAuthorization", stable(omit(devices, ["lastPolledAt", "updatedAt"]))],
    ["User", stable(omit(users, ["lastActiveAt", "updatedAt"]))],
    ["Session", stable(omit(sessions, ["lastSeenAt"]))],
    ["counts (workspace, user, token, secret, workload, invitation, membership)", stable(counts)],
  ]);
}

/** The tables whose rows differ between two snapshots (names only: never a value). */
export function changedTables(before: Snapshot, after: Snapshot): string[] {
  return [...before.keys()].filter((k) => before.get(k) !== after.get(k));
}
