// Who is acting. Every service function takes an Actor as its first argument; route
// handlers, server actions, the CLI and tests all build one and pass it in.
import type { Workspace } from "../generated/sqlite/client";
import type { Role, TokenScope } from "./permissions";

/** Where a request came from; recorded on audit events. */
export type RequestMeta = {
  requestId: string;
  ip: string | null;
  userAgent: string | null;
};

export type UserActor = {
  type: "user";
  userId: string;
  email: string;
  isPlatformAdmin: boolean;
  /** The dashboard session, when the user acts through one. */
  sessionId: string | null;
  /** How that session signed in (workspaces may require SSO). */
  authMethod?: "password" | "oidc";
  /** When the session's user last proved it was them (sign-in or "confirm it's you"): sudo mode. */
  reauthAt?: Date;
  /** Whether the user has a second factor (TOTP) turned on (workspaces may require one). */
  hasMfa?: boolean;
  meta: RequestMeta;
};

export type TokenKind = "user" | "workspace" | "workload";

export type TokenActor = {
  type: "token";
  tokenId: string;
  /** A token acts only inside its own workspace. */
  workspaceId: string;
  kind: TokenKind;
  scopes: TokenScope[];
  /** The creator of a user token: it acts with at most the creator's current role. */
  creatorId: string | null;
  /** The role of a workspace token (user tokens use the creator's role). */
  role: Role | null;
  workloadId: string | null;
  meta: RequestMeta;
  /**
   * What authentication already read in the same query: the token's workspace and the role the
   * token acts with. Request-scoped (an actor lives for one request), so read-only services use it
   * instead of reading again; writes re-read inside their transaction.
   */
  access?: { workspace: Workspace; role: Role | null };
};

/** Tessera itself: maintenance commands and start-up tasks. */
export type SystemActor = { type: "system"; label: string; meta: RequestMeta };

export type Actor = UserActor | TokenActor | SystemActor;

/** The user an actor acts as: a session's user, or a user token's creator; null for workspace and workload tokens and the system. */
export function actorUserId(actor: Actor): string | null {
  if (actor.type === "user") return actor.userId;
  if (actor.type === "token" && actor.kind === "user") return actor.creatorId;
  return null;
}

export function actorId(actor: Actor): string | null {
  if (actor.type === "user") return actor.userId;
  if (actor.type === "token") return actor.tokenId;
  return null;
}

export function actorLabel(actor: Actor): string {
  if (actor.type === "user") return actor.email;
  if (actor.type === "token") return `${actor.kind} token ${actor.tokenId}`;
  return actor.label;
}
