import { Users } from "lucide-react";
import { ListSearch } from "@/app/_components/list-search";
import { Badge, Card, EmptyState, PageHeader } from "@/app/_components/ui";
import { ROLE_RANK, ROLES, roleCan, type Role } from "@/lib/auth/permissions";
import { checkRoleChange, listMembers } from "@/lib/services/members";
import { membersWithoutSecondFactor } from "@/lib/services/workspaces";
import { pageWorkspace } from "../../../data";
import { formatUtc, relative } from "../tokens/format";
import { InviteButton, LeaveButton, RemoveMemberButton, RolePicker } from "./controls";
import { MemberTabs } from "./tabs";

export const metadata = { title: "Members · Tessera" };

// Members: role, join date, last activity; role changes, removal and leaving, and the invite dialog.
export default async function MembersPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { actor, workspace } = await pageWorkspace(params);
  const [members, withoutFactor] = await Promise.all([listMembers(actor, workspace.id), membersWithoutSecondFactor(actor, workspace.id)]);
  // Owners and admins see who signs in with a password without a second factor (kept out when the workspace requires one).
  const noFactor = new Set(withoutFactor);
  const myRole = workspace.role;
  const can = (p: Parameters<typeof roleCan>[1]) => myRole !== null && roleCan(myRole, p);
  const me = actor.type === "user" ? actor.userId : null;
  // What to offer comes from the same rules the service enforces (checkRoleChange).
  const grantable = (target: Role) => ROLES.filter((r) => r === target || checkRoleChange(myRole, target, r) === null);
  const lastOwner = members.filter((m) => m.role === "owner").length === 1;
  const invitable = [...ROLES].filter((r) => myRole !== null && ROLE_RANK[r] <= ROLE_RANK[myRole]);
  return (
    <>
      <PageHeader
        title="Members"
        description="People with access to this workspace, and their roles."
        actions={can("member.invite") && <InviteButton workspaceId={workspace.id} roles={invitable} />}
      />
      <MemberTabs workspaceId={workspace.id} current="" />
      {members.length === 0 ? (
        <EmptyState icon={<Users className="size-5" />} title="No members" description="Invite people to work in this workspace." />
      ) : (
        <ListSearch noun="members" rows="[data-testid=member-row]" filters={[{ param: "role", attr: "data-role", label: "Role", options: ROLES.map((r) => ({ value: r, label: r })) }]}>
        <Card className="overflow-hidden">
          <ul className="divide-y divide-zinc-100" aria-label="Members">
            {members.map((m) => {
              const label = m.name ?? m.email;
              const self = m.userId === me;
              // The last owner keeps the role (the service refuses it too): no picker to offer a dead end.
              const roles = can("member.update") && !(m.role === "owner" && lastOwner) ? grantable(m.role) : [];
              const removable = !self && can("member.remove") && checkRoleChange(myRole, m.role, null) === null;
              return (
                <li key={m.userId} data-testid="member-row" data-email={m.email} data-role={m.role} data-search={`${m.name ?? ""} ${m.email}`} className="flex flex-wrap items-center justify-between gap-3 px-5 py-3.5">
                  <div className="min-w-0">
                    <p className="truncate text-sm font-medium text-zinc-900">
                      {label} {self && <span className="font-normal text-zinc-500">(you)</span>}
                    </p>
                    <p className="truncate text-sm text-zinc-500">{m.email}</p>
                  </div>
                  <div className="flex flex-wrap items-center gap-3 text-sm text-zinc-500">
                    {noFactor.has(m.userId) && (
                      <span
                        data-testid="member-no-mfa"
                        title={workspace.requireMfa ? "Signs in with a password and has no second factor: cannot open this workspace until they set one up" : "Signs in with a password and has no second factor"}
                      >
                        <Badge tone={workspace.requireMfa ? "amber" : "gray"}>{workspace.requireMfa ? "No 2FA: blocked" : "No 2FA"}</Badge>
                      </span>
                    )}
                    <span title={formatUtc(m.joinedAt)}>Joined {formatUtc(m.joinedAt).slice(0, 10)}</span>
                    <span title={m.lastActiveAt ? formatUtc(m.lastActiveAt) : undefined}>
                      {m.lastActiveAt ? `Active ${relative(m.lastActiveAt)}` : "Not active yet"}
                    </span>
                    {roles.length > 1 ? (
                      <RolePicker workspaceId={workspace.id} userId={m.userId} label={label} role={m.role} roles={roles} />
                    ) : (
                      <Badge tone={m.role === "owner" ? "blue" : "gray"}>{m.role}</Badge>
                    )}
                    {removable ? <RemoveMemberButton workspaceId={workspace.id} userId={m.userId} label={label} /> : <span className="w-8" aria-hidden />}
                  </div>
                </li>
              );
            })}
          </ul>
        </Card>
        </ListSearch>
      )}
      {me && (
        <div className="mt-6 flex flex-wrap items-center justify-between gap-3 rounded-xl border border-zinc-200 bg-white px-5 py-4">
          <p className="text-sm text-zinc-600">
            {myRole === "owner" && lastOwner
              ? "You are the only owner. Make someone else an owner before you leave."
              : "Leaving removes your access and cancels your user tokens in this workspace."}
          </p>
          <LeaveButton workspaceId={workspace.id} workspaceName={workspace.name} disabled={myRole === "owner" && lastOwner} />
        </div>
      )}
    </>
  );
}
