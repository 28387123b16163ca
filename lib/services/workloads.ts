// Workloads: endpoints, jobs and pods of the platform, with environment bindings (a literal, or a
// reference to a secret), and the run-time resolution of that environment for a workload token.
import { actorUserId, type Actor, type RequestMeta, type TokenActor } from "../auth/actor";
import { BearerError } from "../auth/bearer";
import { noteTokenUse } from "../auth/last-used";
import { issueCredentialValue, MAX_CREDENTIAL_TTL_SECONDS, type WorkloadCredential } from "../auth/workload-credential";
import { dataKeyFor, decryptValue } from "../crypto/envelope";
import { db, directReader, lockSecretsShared, lockWorkload, type Tx } from "../db/client";
import type { Workload } from "../generated/sqlite/client";
import { AppError, forbidden, notFound, parseInput } from "../errors";
import { log } from "../log";
import { isLoaderVariable, parseAllowedEnvNames, refusedLoaderVariables } from "../secrets/loader-vars";
import {
  createWorkloadSchema,
  issueCredentialSchema,
  type IssueCredentialInput,
  updateWorkloadSchema,
  type CreateWorkloadInput,
  type UpdateWorkloadInput,
  type WorkloadOutput,
} from "../schemas/secret";
import { recordAudit, recordAuditCommitted, recordDenied } from "./audit";
import { authorize, authorizeRead, inRead, inTransaction } from "./authorize";
import { assertActive } from "./workspaces";

export type WorkloadOption = { id: string; name: string };

/** The workspace's workloads as picker options: id and name only, by name. */
export async function listWorkloadOptions(actor: Actor, workspaceId: string): Promise<WorkloadOption[]> {
  return inRead(actor, async (db) => {
    await authorizeRead(actor, workspaceId, "workload.read", { action: "workload.list", target: { type: "workspace", id: workspaceId } });
    return db.workload.findMany({ where: { workspaceId }, select: { id: true, name: true }, orderBy: { name: "asc" }, take: 1000 });
  });
}

const detail = {
  bindings: {
    include: {
      secret: { select: { id: true, name: true, visibility: true, createdById: true, createdBy: { select: { disabledAt: true, memberships: { select: { workspaceId: true } } } } } },
    },
    orderBy: { envName: "asc" as const },
  },
  tokens: { select: { id: true, name: true, prefix: true, lastFour: true, status: true, expiresAt: true }, orderBy: { createdAt: "asc" as const } },
};
type Detailed = Workload & {
  bindings: {
    envName: string;
    literalValue: string | null;
    secret: { id: string; name: string; visibility: string; createdById: string | null; createdBy: { disabledAt: Date | null; memberships: { workspaceId: string }[] } | null } | null;
  }[];
  tokens: { id: string; name: string; prefix: string; lastFour: string; status: string; expiresAt: Date }[];
};

const isMember = (u: { disabledAt: Date | null; memberships: { workspaceId: string }[] } | null, workspaceId: string) =>
  !!u && u.disabledAt === null && u.memberships.some((m) => m.workspaceId === workspaceId);

/** `me`: the user the reader acts as. Another member's private secret is shown without its name (the name is theirs). */
function present(w: Detailed, me: string | null): WorkloadOutput {
  return {
    id: w.id,
    workspaceId: w.workspaceId,
    name: w.name,
    kind: w.kind as WorkloadOutput["kind"],
    description: w.description,
    bindings: w.bindings.map((b) => ({
      envName: b.envName,
      value: b.secret ? null : b.literalValue,
      secret: b.secret
        ? {
            id: b.secret.id,
            name: b.secret.visibility === "private" && (me === null || b.secret.createdById !== me) ? null : b.secret.name,
            visibility: b.secret.visibility as "private" | "public",
            // The env endpoint refuses it (see resolveWorkloadEnv): shown so that someone rebinds it.
            formerMember: b.secret.visibility === "private" && !isMember(b.secret.createdBy, w.workspaceId),
          }
        : null,
    })),
    tokens: w.tokens.map((t) => ({ id: t.id, name: t.name, partialKey: `${t.prefix}…${t.lastFour}`, status: t.status, expiresAt: t.expiresAt })),
    createdAt: w.createdAt,
    updatedAt: w.updatedAt,
  };
}

export async function listWorkloads(actor: Actor, workspaceId: string): Promise<WorkloadOutput[]> {
  return inRead(actor, async (db) => {
    await authorizeRead(actor, workspaceId, "workload.read", { action: "workload.list", target: { type: "workspace", id: workspaceId } });
    const rows = await db.workload.findMany({ where: { workspaceId }, include: detail, orderBy: { name: "asc" }, take: 1000 });
    return rows.map((w) => present(w, actorUserId(actor)));
  });
}

export async function getWorkload(actor: Actor, workspaceId: string, workloadId: string): Promise<WorkloadOutput> {
  return inRead(actor, async (db) => {
    await authorizeRead(actor, workspaceId, "workload.read", { action: "workload.read", target: { type: "workload", id: workloadId } });
    const w = await db.workload.findFirst({ where: { id: workloadId, workspaceId }, include: detail });
    if (!w) throw notFound("Workload");
    return present(w, actorUserId(actor));
  });
}

type BindingInput = { envName: string; value: string } | { envName: string; secretId: string };
type CurrentBinding = { envName: string; secretId: string | null; secret: { visibility: string; createdById: string | null } | null };

const currentBindingsSelect = { envName: true, secretId: true, secret: { select: { visibility: true, createdById: true } } } as const;

const listed = (names: string[]) => names.join(", ");
const verb = (names: string[], one: string, many: string) => (names.length === 1 ? one : many);

/**
 * Authorizes the workload's bindings as they will be after a create or update (`next`; undefined:
 * the bindings stay as they are), not only the change (H1):
 * - a secret that does not exist in the workspace, or someone else's private secret that is not
 *   already on this workload, is refused as if it did not exist (422, nothing revealed);
 * - while the resulting workload holds a private secret of anyone but the actor, the change is
 *   refused (403, the variables named): nobody else may keep, move or re-add such a binding, or
 *   change the workload's other variables (any variable can be turned into a way out, e.g.
 *   NODE_OPTIONS). Removing such a binding is allowed: the result no longer holds it;
 * - a variable that makes a process load code (PATH, LD_PRELOAD, NODE_OPTIONS, …) is refused unless
 *   the workspace allowed that name.
 * Refusals are audited as denied attempts (`audit` names the action).
 */
async function authorizeBindings(
  tx: Tx,
  actor: Actor,
  workspace: { id: string; allowedEnvNames: string },
  current: CurrentBinding[],
  next: BindingInput[] | undefined,
  audit: { action: string; target: { type: string; id: string | null } },
) {
  const workspaceId = workspace.id;
  const me = actorUserId(actor);
  let resulting: { envName: string; secret: { visibility: string; createdById: string | null } | null }[] = current;
  if (next) {
    const ids = [...new Set(next.flatMap((b) => ("secretId" in b ? [b.secretId] : [])))];
    // Read after a share lock: a concurrent change to private, or a delete, is seen (see lockSecret).
    await lockSecretsShared(tx, workspaceId, ids);
    const secrets = await tx.secret.findMany({ where: { workspaceId, id: { in: ids } }, select: { id: true, visibility: true, createdById: true } });
    const onWorkload = new Set(current.flatMap((b) => (b.secretId ? [b.secretId] : [])));
    for (const id of ids) {
      const s = secrets.find((x) => x.id === id);
      // Someone else's private secret that is not on this workload: the same answer as a secret that does not exist.
      if (!s || (s.visibility === "private" && s.createdById !== me && !onWorkload.has(id))) {
        throw new AppError("VALIDATION_FAILED", "A binding names a secret that does not exist or is not yours", {
          details: [{ path: `bindings.${next.findIndex((b) => "secretId" in b && b.secretId === id)}.secretId`, message: "no such secret (private secrets can be bound only by their creator)" }],
        });
      }
    }
    resulting = next.map((b) => ({ envName: b.envName, secret: "secretId" in b ? (secrets.find((x) => x.id === b.secretId) ?? null) : null }));
  }
  const foreign = resulting.filter((b) => b.secret?.visibility === "private" && (me === null || b.secret.createdById !== me)).map((b) => b.envName);
  if (foreign.length) {
    const err = forbidden(
      `${listed(foreign)} ${verb(foreign, "comes", "come")} from another member's private secret: while this workload holds it, only that secret's creator may change the workload. Remove ${verb(foreign, "that variable", "those variables")} (the rest may change in the same edit), or ask its creator.`,
    );
    err.denied = { workspaceId, ...audit, metadata: { variables: foreign, reason: "foreign_private_secret" } };
    throw err;
  }
  if (next) {
    const refused = refusedLoaderVariables(
      next.map((b) => b.envName),
      parseAllowedEnvNames(workspace.allowedEnvNames),
    );
    if (refused.length) {
      throw new AppError(
        "VALIDATION_FAILED",
        `${listed(refused)} ${verb(refused, "makes", "make")} a process load code of the writer's choice, so ${verb(refused, "it is", "they are")} not allowed in workloads. A workspace admin can allow a name in Settings > General.`,
        { details: refused.map((n) => ({ path: `bindings.${next.findIndex((b) => b.envName === n)}.envName`, message: "makes a process load code; not allowed in this workspace" })) },
      );
    }
  }
}

async function writeBindings(tx: Tx, workloadId: string, bindings: BindingInput[]) {
  await tx.workloadBinding.deleteMany({ where: { workloadId } });
  if (bindings.length) {
    await tx.workloadBinding.createMany({
      data: bindings.map((b) => ({ workloadId, envName: b.envName, ...("secretId" in b ? { secretId: b.secretId } : { literalValue: b.value }) })),
    });
  }
}

export async function createWorkload(actor: Actor, workspaceId: string, input: CreateWorkloadInput): Promise<WorkloadOutput> {
  const data = parseInput(createWorkloadSchema, input);
  return inTransaction(actor, async (tx) => {
    const { workspace } = await authorize(tx, actor, workspaceId, "workload.write", { action: "workload.create", target: { type: "workload", id: null } });
    assertActive(workspace, "creating workloads");
    if (await tx.workload.findUnique({ where: { workspaceId_name: { workspaceId, name: data.name } }, select: { id: true } })) {
      throw new AppError("CONFLICT", `A workload named "${data.name}" already exists in this workspace`);
    }
    await authorizeBindings(tx, actor, workspace, [], data.bindings, { action: "workload.create", target: { type: "workload", id: null } });
    const w = await tx.workload.create({ data: { workspaceId, name: data.name, kind: data.kind, description: data.description || null, createdById: actorUserId(actor) } });
    await writeBindings(tx, w.id, data.bindings);
    await recordAudit(tx, actor, {
      workspaceId,
      action: "workload.create",
      target: { type: "workload", id: w.id },
      metadata: { name: w.name, kind: w.kind, variables: data.bindings.map((b) => b.envName) },
    });
    return present((await tx.workload.findUniqueOrThrow({ where: { id: w.id }, include: detail })) as Detailed, actorUserId(actor));
  });
}

export async function updateWorkload(actor: Actor, workspaceId: string, workloadId: string, input: UpdateWorkloadInput): Promise<WorkloadOutput> {
  const data = parseInput(updateWorkloadSchema, input);
  return inTransaction(actor, async (tx) => {
    const target = { type: "workload", id: workloadId };
    const { workspace } = await authorize(tx, actor, workspaceId, "workload.write", { action: "workload.update", target });
    // Edits of one workload run one at a time (PostgreSQL): each sees the bindings the previous left.
    await lockWorkload(tx, workspaceId, workloadId);
    const w = await tx.workload.findFirst({ where: { id: workloadId, workspaceId }, include: { bindings: { select: currentBindingsSelect } } });
    if (!w) throw notFound("Workload");
    await authorizeBindings(tx, actor, workspace, w.bindings, data.bindings, { action: "workload.update", target });
    if (data.name && data.name !== w.name && (await tx.workload.findUnique({ where: { workspaceId_name: { workspaceId, name: data.name } }, select: { id: true } }))) {
      throw new AppError("CONFLICT", `A workload named "${data.name}" already exists in this workspace`);
    }
    let tokensUnassigned = 0;
    if (data.bindings) {
      await writeBindings(tx, w.id, data.bindings);
      // Someone removed another person's private secret from this workload (and may have changed
      // the rest): the workload tokens that person put here stop serving it, so that a process
      // they set up never runs a configuration they did not see. They get a clear 403 at their
      // next credential exchange and can reassign the token after a look (H1).
      const me = actorUserId(actor);
      const owners = [...new Set(w.bindings.flatMap((b) => (b.secret?.visibility === "private" && b.secret.createdById && b.secret.createdById !== me ? [b.secret.createdById] : [])))];
      if (owners.length) {
        ({ count: tokensUnassigned } = await tx.token.updateMany({
          where: { workspaceId, workloadId: w.id, kind: "workload", boundById: { in: owners } },
          data: { workloadId: null, boundById: null },
        }));
      }
    }
    await tx.workload.update({
      where: { id: w.id },
      data: {
        ...(data.name !== undefined ? { name: data.name } : {}),
        ...(data.kind !== undefined ? { kind: data.kind } : {}),
        ...(data.description !== undefined ? { description: data.description || null } : {}),
      },
    });
    await recordAudit(tx, actor, {
      workspaceId,
      action: "workload.update",
      target,
      metadata: {
        changed: Object.keys(data),
        ...(data.bindings ? { variables: data.bindings.map((b) => b.envName) } : {}),
        ...(tokensUnassigned ? { tokensUnassigned } : {}),
      },
    });
    return present((await tx.workload.findUniqueOrThrow({ where: { id: w.id }, include: detail })) as Detailed, actorUserId(actor));
  });
}

/** Deletes a workload; the workload tokens bound to it are cancelled in the same transaction. */
export async function deleteWorkload(actor: Actor, workspaceId: string, workloadId: string): Promise<{ id: string; tokensCancelled: number }> {
  return inTransaction(actor, async (tx) => {
    const target = { type: "workload", id: workloadId };
    await authorize(tx, actor, workspaceId, "workload.write", { action: "workload.delete", target });
    const w = await tx.workload.findFirst({ where: { id: workloadId, workspaceId } });
    if (!w) throw notFound("Workload");
    const { count } = await tx.token.updateMany({
      where: { workspaceId, workloadId: w.id, status: "active" },
      data: { status: "cancelled", cancelledAt: new Date() },
    });
    await tx.workload.delete({ where: { id: w.id } });
    await recordAudit(tx, actor, { workspaceId, action: "workload.delete", target, metadata: { name: w.name, tokensCancelled: count } });
    return { id: w.id, tokensCancelled: count };
  });
}

/** What a workload token gets back for itself: a short-lived credential for the env endpoint. */
export type IssuedWorkloadCredential = { credential: string; tokenId: string; workspaceId: string; workloadId: string; expiresAt: Date; ttlSeconds: number };

const ONLY_WORKLOAD_TOKEN = "Only a workload token bound to this workload can get a credential for it";

/**
 * SEC-14: exchanges a workload token bound to this workload for a credential that lives at most
 * 15 minutes (never past the token's own expiry) and opens this workload's environment only.
 * Audited (`workload.credential.issue`) with its expiry, never its value.
 */
export async function issueWorkloadCredential(actor: Actor, workspaceId: string, workloadId: string, input: IssueCredentialInput = {}): Promise<IssuedWorkloadCredential> {
  const data = parseInput(issueCredentialSchema, input ?? {});
  const target = { type: "workload", id: workloadId };
  const audit = { action: "workload.credential.issue", target };
  if (actor.type !== "token" || actor.workspaceId !== workspaceId) {
    if (actor.type === "token") throw notFound("Workload");
    await recordDenied(actor, { workspaceId, ...audit });
    throw forbidden(ONLY_WORKLOAD_TOKEN);
  }
  return inTransaction(actor, async (tx) => {
    const deny = (err: AppError) => {
      err.denied = { workspaceId, ...audit };
      return err;
    };
    if (actor.kind !== "workload" || actor.workloadId !== workloadId) throw deny(forbidden(ONLY_WORKLOAD_TOKEN));
    const workspace = await tx.workspace.findUnique({ where: { id: workspaceId }, select: { status: true } });
    if (!workspace) throw notFound("Workload");
    if (workspace.status !== "active") throw deny(forbidden("This workspace is not active"));
    const token = await tx.token.findUnique({ where: { id: actor.tokenId }, select: { status: true, expiresAt: true, workloadId: true } });
    // Re-read inside the transaction: a token cancelled or rebound since authentication gets nothing.
    if (!token || token.status !== "active" || token.workloadId !== workloadId) throw deny(forbidden(ONLY_WORKLOAD_TOKEN));
    if (!(await tx.workload.findFirst({ where: { id: workloadId, workspaceId }, select: { id: true } }))) throw notFound("Workload");
    const now = new Date();
    const wanted = data?.ttlSeconds ?? MAX_CREDENTIAL_TTL_SECONDS;
    const ttlSeconds = Math.max(1, Math.min(wanted, MAX_CREDENTIAL_TTL_SECONDS, Math.floor((token.expiresAt.getTime() - now.getTime()) / 1000)));
    const expiresAt = new Date(Math.floor(now.getTime() / 1000) * 1000 + ttlSeconds * 1000);
    const credential = issueCredentialValue({ tokenId: actor.tokenId, workspaceId, workloadId, expiresAt, now });
    await recordAudit(tx, actor, { workspaceId, ...audit, metadata: { expiresAt: expiresAt.toISOString(), ttlSeconds } });
    return { credential, tokenId: actor.tokenId, workspaceId, workloadId, expiresAt, ttlSeconds };
  });
}

/** The env endpoint's caller: a checked short-lived credential (see lib/auth/workload-credential.ts). */
export type CredentialCaller = { type: "workload-credential"; credential: WorkloadCredential; meta: RequestMeta };

const USE_CREDENTIAL = "The environment is given only to a short-lived workload credential: exchange this workload's token at POST …/credentials";

/** The audit actor of a credential: its parent workload token. */
function credentialActor(caller: CredentialCaller): TokenActor {
  const c = caller.credential;
  return { type: "token", tokenId: c.tokenId, workspaceId: c.workspaceId, kind: "workload", scopes: [], creatorId: null, role: null, workloadId: c.workloadId, meta: caller.meta };
}

/**
 * The workload's resolved environment (names and decrypted values), for a short-lived credential
 * of a workload token bound to it (SEC-14) and nobody else: no person, user token, workspace
 * token, or long-lived workload token ever gets values. Every call is audited, names only.
 *
 * The hot path: one statement re-reads the parent token (cancelled, expired, rebound: refused at
 * once), the workspace's status and every binding with its secret's current encrypted version;
 * values are decrypted with the cached data key, and the audit event is committed (grouped with
 * concurrent calls) before answering.
 */
export type WithheldVariable = { envName: string; reason: "private_secret" | "loader_variable" };

export async function resolveWorkloadEnv(
  caller: Actor | CredentialCaller,
  workspaceId: string,
  workloadId: string,
): Promise<{ workloadId: string; env: Record<string, string>; secrets: string[]; withheld: WithheldVariable[] }> {
  const target = { type: "workload", id: workloadId };
  const actor = caller.type === "workload-credential" ? credentialActor(caller) : caller;
  const deny = async (err: AppError) => {
    await recordDenied(actor, { workspaceId, action: "workload.env.resolve", target });
    throw err;
  };
  if (caller.type !== "workload-credential") {
    // Another workspace's token: as if nothing were here. People: never, whatever their role.
    if (caller.type === "token" && caller.workspaceId !== workspaceId) throw notFound("Workload");
    if (caller.type === "token" && caller.kind === "workload" && caller.workloadId === workloadId) return deny(forbidden(USE_CREDENTIAL));
    return deny(forbidden("Only a workload token bound to this workload can read its environment"));
  }
  const cred = caller.credential;
  if (cred.workspaceId !== workspaceId) throw notFound("Workload");
  if (cred.workloadId !== workloadId) return deny(forbidden("This credential is for another workload"));
  const found = await directReader().workloadEnv(cred.tokenId, workspaceId, workloadId);
  // The parent token is gone, cancelled or expired: a 401 that says which, and an audited denial.
  const refuse = async (reason: "unknown" | "cancelled" | "expired") => {
    await recordDenied(actor, { workspaceId, action: "workload.env.resolve", target, metadata: { reason: `token_${reason}` } });
    throw new BearerError(reason);
  };
  if (!found || found.access.tokenKind !== "workload") return refuse("unknown");
  const { access, bindings } = found;
  if (access.tokenStatus !== "active") return refuse("cancelled");
  if (access.tokenExpiresAt.getTime() <= Date.now()) return refuse("expired");
  if (access.tokenWorkloadId !== workloadId) return deny(forbidden("The token this credential came from is no longer bound to this workload"));
  if (access.workspaceStatus !== "active") return deny(forbidden("This workspace is not active"));
  if (!access.workloadId) return deny(notFound("Workload"));
  const orphaned = bindings.filter((b) => b.orphaned).map((b) => b.envName);
  if (orphaned.length) {
    // Private secrets are usable by their creator only; once the creator has left (or is
    // disabled), the workloads they bound them to get nothing until someone binds another secret.
    return deny(
      new AppError("CONFLICT", `${orphaned.join(", ")} ${orphaned.length === 1 ? "comes" : "come"} from a private secret of a former member; bind another secret to ${orphaned.length === 1 ? "it" : "them"}`),
    );
  }
  const env: Record<string, string> = {};
  const secrets: string[] = [];
  const withheld: WithheldVariable[] = [];
  const allowed = new Set(parseAllowedEnvNames(access.allowedEnvNames));
  const keys = new Map<number, Buffer>(); // data keys by version, looked up once per call
  for (const b of bindings) {
    // A code-loading variable the workspace does not allow (one written before the rule, or
    // allowed once and no longer): left out, whatever its value.
    if (isLoaderVariable(b.envName) && !allowed.has(b.envName)) {
      withheld.push({ envName: b.envName, reason: "loader_variable" });
      continue;
    }
    // A private secret opens only for a workload token its creator minted and put on this
    // workload: a token that someone else minted, or moved here, does not get it (H1).
    if (b.privateOwnerId !== null && (access.tokenCreatorId !== b.privateOwnerId || access.tokenBoundById !== b.privateOwnerId)) {
      withheld.push({ envName: b.envName, reason: "private_secret" });
      continue;
    }
    if (!b.secretId) {
      env[b.envName] = b.literalValue ?? "";
      continue;
    }
    if (b.version === null || !b.iv || !b.ciphertext || b.dataKeyVersion === null) {
      throw new AppError("INTERNAL", `The secret bound to ${b.envName} has no stored value; replace it`);
    }
    secrets.push(b.envName);
    let key = keys.get(b.dataKeyVersion);
    if (!key) keys.set(b.dataKeyVersion, (key = await dataKeyFor(db(), workspaceId, b.dataKeyVersion)));
    env[b.envName] = decryptValue(key, { workspaceId, secretId: b.secretId, version: b.version, name: b.secretName ?? "", aadScheme: b.aadScheme, iv: b.iv, ciphertext: b.ciphertext });
  }
  noteTokenUse(cred.tokenId, access.tokenLastUsedAt, caller.meta.ip);
  await recordAuditCommitted(actor, {
    workspaceId,
    action: "workload.env.resolve",
    target,
    metadata: { variables: Object.keys(env), ...(withheld.length ? { withheld: withheld.map((w) => `${w.envName}:${w.reason}`) } : {}) },
  });
  log.debug({ workloadId, workspaceId, tokenId: cred.tokenId, variables: Object.keys(env), withheld: withheld.length }, "workload environment resolved");
  return { workloadId, env, secrets, withheld };
}
