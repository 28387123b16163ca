import { MailPlus } from "lucide-react";
import Link from "next/link";
import { ListSearch } from "@/app/_components/list-search";
import { Badge, Card, EmptyState, PageHeader, cn } from "@/app/_components/ui";
import { ROLE_RANK, ROLES, roleCan } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { INVITATION_STATES } from "@/lib/schemas/member";
import { listInvitations } from "@/lib/services/invitations";
import { pageWorkspace } from "../../../../data";
import { formatUtc, relative } from "../../tokens/format";
import { InvitationActions, InviteButton } from "../controls";
import { MemberTabs } from "../tabs";

export const metadata = { title: "Invitations · Tessera" };

const TONE = { pending: "blue", accepted: "green", revoked: "gray", expired: "amber" } as const;
const FILTERS = ["pending", "all", ...INVITATION_STATES.filter((s) => s !== "pending")] as const;

// Invitations: pending (default) or by state; revoke and re-issue.
export default async function InvitationsPage({ params, searchParams }: { params: Promise<{ workspaceId: string }>; searchParams: Promise<{ state?: string }> }) {
  const { actor, workspace } = await pageWorkspace(params);
  const { state: raw } = await searchParams;
  const state = (FILTERS as readonly string[]).includes(raw ?? "") ? raw! : "pending";
  const myRole = workspace.role;
  const canInvite = myRole !== null && roleCan(myRole, "member.invite");
  let invitations: Awaited<ReturnType<typeof listInvitations>> = [];
  let refusal: string | null = null;
  try {
    invitations = await listInvitations(actor, workspace.id, { state });
  } catch (err) {
    if (!(err instanceof AppError && err.code === "FORBIDDEN")) throw err;
    refusal = "Only admins and owners see and manage invitations.";
  }
  const invitable = ROLES.filter((r) => myRole !== null && ROLE_RANK[r] <= ROLE_RANK[myRole]);
  return (
    <>
      <PageHeader
        title="Members"
        description="People with access to this workspace, and their roles."
        actions={canInvite && <InviteButton workspaceId={workspace.id} roles={invitable} />}
      />
      <MemberTabs workspaceId={workspace.id} current="/invitations" />
      {refusal ? (
        <EmptyState icon={<MailPlus className="size-5" />} title="Invitations are for admins" description={refusal} />
      ) : (
        <>
          <div className="mb-4 flex flex-wrap gap-2" role="group" aria-label="Filter by state">
            {FILTERS.map((f) => (
              <Link
                key={f}
                href={`?state=${f}`}
                aria-current={f === state ? "true" : undefined}
                className={cn(
                  "rounded-full border px-3 py-1 text-xs font-medium",
                  f === state ? "border-brand-600 bg-brand-50 text-brand-700" : "border-zinc-300 bg-white text-zinc-600 hover:bg-zinc-50",
                )}
              >
                {f}
              </Link>
            ))}
          </div>
          {invitations.length === 0 ? (
            <EmptyState
              icon={<MailPlus className="size-5" />}
              title={state === "pending" ? "No pending invitations" : `No ${state === "all" ? "" : state + " "}invitations`}
              description="Invite people by email, or create a link that anyone signed in can use once."
            />
          ) : (
            <ListSearch noun="invitations" rows="[data-testid=invitation-row]" filters={[{ param: "role", attr: "data-role", label: "Role", options: ROLES.map((r) => ({ value: r, label: r })) }]}>
            <Card className="overflow-hidden">
              <ul className="divide-y divide-zinc-100" aria-label="Invitations">
                {invitations.map((i) => {
                  const label = i.email ?? "anyone with the link";
                  return (
                    <li key={i.id} data-testid="invitation-row" data-role={i.role} data-search={`${label} ${i.invitedBy ?? ""}`} className="flex flex-wrap items-center justify-between gap-3 px-5 py-3.5">
                      <div className="min-w-0">
                        <p className="truncate text-sm font-medium text-zinc-900">{label}</p>
                        <p className="truncate text-sm text-zinc-500">
                          {i.invitedBy ? `Invited by ${i.invitedBy}` : "Invited"} {relative(i.createdAt)} ·{" "}
                          {i.state === "pending" ? `expires ${relative(i.expiresAt)}` : i.state === "expired" ? `expired ${formatUtc(i.expiresAt)}` : i.state}
                        </p>
                      </div>
                      <div className="flex items-center gap-3">
                        <Badge tone="gray">{i.role}</Badge>
                        <Badge tone={TONE[i.state]}>{i.state}</Badge>
                        {canInvite && (i.state === "pending" || i.state === "expired") ? (
                          <InvitationActions workspaceId={workspace.id} invitationId={i.id} label={label} pending={i.state === "pending"} />
                        ) : (
                          <span className="w-16" aria-hidden />
                        )}
                      </div>
                    </li>
                  );
                })}
              </ul>
            </Card>
            </ListSearch>
          )}
        </>
      )}
    </>
  );
}
