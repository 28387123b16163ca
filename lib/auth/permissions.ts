// Roles and permissions as data: the one table every service checks, and that the
// "Roles and permissions" page renders. Add a permission here, then use it in a service.

export const ROLES = ["owner", "admin", "member", "viewer"] as const;
export type Role = (typeof ROLES)[number];

/** Rank for "nobody grants a role above their own". Higher is more powerful. */
export const ROLE_RANK: Record<Role, number> = { owner: 4, admin: 3, member: 2, viewer: 1 };

type PermissionInfo = {
  description: string;
  /** "read" permissions are the only ones a read-only token scope keeps. */
  kind: "read" | "write";
};

export const PERMISSIONS = {
  "workspace.read": { description: "See the workspace's name, ID and settings", kind: "read" },
  "workspace.update": { description: "Rename the workspace and change its settings", kind: "write" },
  "workspace.delete": { description: "Delete the workspace", kind: "write" },
  "workspace.activation.request": { description: "Apply for activation of the workspace", kind: "write" },
  "member.read": { description: "List members and their roles", kind: "read" },
  "member.invite": { description: "Invite members and manage invitations", kind: "write" },
  "invitation.read": { description: "See invitations (never their links)", kind: "read" },
  "member.update": { description: "Change members' roles", kind: "write" },
  "member.remove": { description: "Remove members", kind: "write" },
  "member.leave": { description: "Leave the workspace", kind: "write" },
  "token.read": { description: "List one's own tokens", kind: "read" },
  "token.create": { description: "Create user tokens", kind: "write" },
  "token.manage": { description: "Create and manage workspace and workload tokens, and others' tokens", kind: "write" },
  "secret.read": { description: "List secrets (names and metadata, never values)", kind: "read" },
  "secret.create": { description: "Create private secrets and manage one's own", kind: "write" },
  "secret.manage": { description: "Create and manage public secrets, delete others' secrets", kind: "write" },
  "workload.read": { description: "List workloads and their bindings", kind: "read" },
  "workload.write": { description: "Create, edit and delete workloads", kind: "write" },
  "audit.read": { description: "View and export the audit log", kind: "read" },
} as const satisfies Record<string, PermissionInfo>;

export type Permission = keyof typeof PERMISSIONS;
export const PERMISSION_NAMES = Object.keys(PERMISSIONS) as Permission[];

const ALL = PERMISSION_NAMES;
const READS = ALL.filter((p) => PERMISSIONS[p].kind === "read");

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  owner: ALL,
  admin: ALL.filter((p) => p !== "workspace.delete"),
  member: [...READS.filter((p) => p !== "audit.read" && p !== "invitation.read"), "member.leave", "token.create", "secret.create", "workload.write"],
  viewer: ["workspace.read", "member.read", "member.leave", "token.read", "secret.read", "workload.read"],
};

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export function roleCan(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/**
 * A token's scopes: `read` or `full` sets what it may do in its workspace (a token has one of
 * them); `platform` is an add-on for platform administration (the admin API), only on user tokens
 * of platform admins (lib/services/tokens.ts, `platformAdmin` in lib/services/authorize.ts). It
 * grants no workspace permission: `scopesAllow` ignores it, so it never counts as `full`.
 */
export const TOKEN_SCOPES = ["read", "full", "platform"] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];
/** The scopes of workspace access: every token carries one of these. */
export const ACCESS_SCOPES = ["read", "full"] as const satisfies readonly TokenScope[];
export const PLATFORM_SCOPE = "platform" satisfies TokenScope;

/** A token's scopes narrow its role: "read" keeps only read permissions (`platform` adds none). */
export function scopesAllow(scopes: readonly TokenScope[], permission: Permission): boolean {
  if (scopes.includes("full")) return true;
  if (scopes.includes("read")) return PERMISSIONS[permission].kind === "read";
  return false;
}
