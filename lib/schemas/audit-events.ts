// The catalogue of audit events a workspace's log can hold: each action's dotted name and what it
// means in words, grouped by area. The Audit page builds its action picker from it, and a unit
// test (tests/unit/audit-events.test.ts) fails when a service records an action missing here.
// Account-wide events (sign-in, password, MFA, …) have no workspace and are not listed.

export type AuditEventInfo = { action: string; label: string };
export type AuditEventGroup = { prefix: string; label: string; events: readonly AuditEventInfo[] };

export const AUDIT_EVENT_GROUPS = [
  {
    prefix: "member.",
    label: "Members",
    events: [
      { action: "member.list", label: "Members listed" },
      { action: "member.invite", label: "Member invited" },
      { action: "member.invitation.list", label: "Invitations listed" },
      { action: "member.invitation.reissue", label: "Invitation link reissued" },
      { action: "member.invitation.revoke", label: "Invitation revoked" },
      { action: "member.invitation.accept", label: "Invitation accepted" },
      { action: "member.join_sso", label: "Joined through single sign-on" },
      { action: "member.role.update", label: "Role changed" },
      { action: "member.remove", label: "Member removed" },
      { action: "member.leave", label: "Member left" },
    ],
  },
  {
    prefix: "token.",
    label: "Tokens",
    events: [
      { action: "token.list", label: "Tokens listed" },
      { action: "token.read", label: "Token read" },
      { action: "token.create", label: "Token created" },
      { action: "token.rename", label: "Token renamed" },
      { action: "token.renew", label: "Token renewed" },
      { action: "token.reassign", label: "Token moved to another workload" },
      { action: "token.cancel", label: "Token cancelled" },
      { action: "token.delete", label: "Token deleted" },
    ],
  },
  {
    prefix: "secret.",
    label: "Secrets",
    events: [
      { action: "secret.list", label: "Secrets listed" },
      { action: "secret.read", label: "Secret read (metadata)" },
      { action: "secret.create", label: "Secret created" },
      { action: "secret.update", label: "Secret changed" },
      { action: "secret.value.replace", label: "Secret value replaced" },
      { action: "secret.import", label: "Secrets imported from a .env file" },
      { action: "secret.match", label: "Secret value checked" },
      { action: "secret.delete", label: "Secret deleted" },
    ],
  },
  {
    prefix: "workload.",
    label: "Workloads",
    events: [
      { action: "workload.list", label: "Workloads listed" },
      { action: "workload.read", label: "Workload read" },
      { action: "workload.create", label: "Workload created" },
      { action: "workload.update", label: "Workload changed" },
      { action: "workload.delete", label: "Workload deleted" },
      { action: "workload.credential.issue", label: "Workload credential issued" },
      { action: "workload.env.resolve", label: "Workload environment fetched" },
    ],
  },
  {
    prefix: "workspace.",
    label: "Workspace",
    events: [
      { action: "workspace.create", label: "Workspace created" },
      { action: "workspace.read", label: "Workspace read" },
      { action: "workspace.update", label: "Workspace changed" },
      { action: "workspace.activation.request", label: "Activation requested" },
      { action: "workspace.activation.approve", label: "Activation approved" },
      { action: "workspace.activation.reject", label: "Activation rejected" },
      { action: "workspace.sso.update", label: "Single sign-on changed" },
      { action: "workspace.mfa_policy.update", label: "Second-factor requirement changed" },
      { action: "workspace.token_policy.update", label: "Token lifetime limit changed" },
      { action: "workspace.workload_env_policy.update", label: "Allowed workload variables changed" },
      { action: "workspace.data_key.rotate", label: "Data key rotated" },
      { action: "workspace.delete", label: "Workspace deleted" },
    ],
  },
  {
    prefix: "device.",
    label: "Device sign-in",
    events: [
      { action: "device.authorize.approve", label: "Device sign-in approved" },
      { action: "device.authorize.deny", label: "Device sign-in denied" },
    ],
  },
  {
    prefix: "audit.",
    label: "Audit log",
    events: [
      { action: "audit.list", label: "Audit log viewed" },
      { action: "audit.export", label: "Audit log exported" },
      { action: "audit.retention.update", label: "Retention changed" },
      { action: "audit.purge", label: "Old events deleted" },
    ],
  },
] as const satisfies readonly AuditEventGroup[];

export type AuditAction = (typeof AUDIT_EVENT_GROUPS)[number]["events"][number]["action"];

/** Every action of the catalogue, in catalogue order. */
export const AUDIT_ACTIONS: readonly AuditAction[] = AUDIT_EVENT_GROUPS.flatMap((g) => g.events.map((e) => e.action));

const LABELS = new Map<string, string>(AUDIT_EVENT_GROUPS.flatMap((g) => g.events.map((e) => [e.action, e.label] as const)));

/** The words for an action ("Role changed"), or null when the catalogue does not know it. */
export function auditActionLabel(action: string): string | null {
  return LABELS.get(action) ?? null;
}
