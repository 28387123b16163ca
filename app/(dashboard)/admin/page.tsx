import Link from "next/link";
import { notFound } from "next/navigation";
import { Inbox } from "lucide-react";
import { Shell } from "@/app/_components/shell";
import { Badge, Card, CardHeader, EmptyState, PageHeader, STATUS_TONE, cn } from "@/app/_components/ui";
import { AppError } from "@/lib/errors";
import { listUsers } from "@/lib/services/users";
import { mailConfigured } from "@/lib/services/verification";
import { listWorkspacesForReview } from "@/lib/services/workspaces";
import { myWorkspaces, requireActor } from "../data";
import { EndUserSessions, MarkVerified, ReviewButtons, UserToggle } from "./controls";

export const metadata = { title: "Admin · Tessera" };

const TABS = ["requested", "pending", "active", "rejected", "all"] as const;

// Platform admins: workspace activation requests (approve / reject) and users (disable, mark verified).
export default async function AdminPage({ searchParams }: { searchParams: Promise<{ status?: string }> }) {
  const actor = await requireActor();
  const { status: raw } = await searchParams;
  const status = (TABS as readonly string[]).includes(raw ?? "") ? (raw as (typeof TABS)[number]) : "requested";
  // The services decide who is a platform admin; everyone else gets a plain 404.
  const [workspaces, users] = await Promise.all([listWorkspacesForReview(actor, status), listUsers(actor)]).catch((err: unknown) => {
    if (err instanceof AppError && err.code === "FORBIDDEN") notFound();
    throw err;
  });
  const mine = await myWorkspaces();
  return (
    <Shell user={{ email: actor.email, isPlatformAdmin: true }} workspaces={mine} current={null}>
      <PageHeader title="Admin" description="Review workspace activation requests and manage users." />
      <nav aria-label="Workspace status" className="mb-4 flex flex-wrap gap-1.5">
        {TABS.map((t) => (
          <Link
            key={t}
            href={`/admin?status=${t}`}
            aria-current={t === status ? "page" : undefined}
            className={cn(
              "rounded-full px-3 py-1 text-sm font-medium capitalize",
              t === status ? "bg-brand-600 text-white" : "bg-white text-zinc-600 ring-1 ring-zinc-200 hover:bg-zinc-50",
            )}
          >
            {t}
          </Link>
        ))}
      </nav>
      {workspaces.length === 0 ? (
        <EmptyState
          icon={<Inbox className="size-5" />}
          title={status === "requested" ? "No requests waiting" : `No ${status === "all" ? "" : status + " "}workspaces`}
          description={status === "requested" ? "New activation requests appear here for review." : "Nothing matches this filter."}
        />
      ) : (
        <Card className="overflow-hidden">
          <ul className="divide-y divide-zinc-100">
            {workspaces.map((w) => (
              <li key={w.id} className="flex flex-col gap-3 px-5 py-4 lg:flex-row lg:items-start lg:justify-between" data-testid={`review-${w.id}`}>
                <div className="min-w-0 space-y-1">
                  <div className="flex flex-wrap items-center gap-2">
                    <span className="font-medium text-zinc-900">{w.name}</span>
                    <Badge tone={STATUS_TONE[w.status]}>{w.status}</Badge>
                  </div>
                  <p className="text-sm text-zinc-500">
                    {w.createdBy ?? "unknown creator"} · {w.members} member{w.members === 1 ? "" : "s"} · <span className="font-mono">{w.id}</span>
                  </p>
                  {w.activation.organisation && (
                    <p className="text-sm text-zinc-700">
                      <span className="font-medium">{w.activation.organisation}</span>: {w.activation.useCase}
                    </p>
                  )}
                  {w.activation.rejectionReason && <p className="text-sm text-red-700">Rejected: {w.activation.rejectionReason}</p>}
                </div>
                {w.status === "requested" && <ReviewButtons workspaceId={w.id} name={w.name} />}
              </li>
            ))}
          </ul>
        </Card>
      )}

      <Card className="mt-8 overflow-hidden">
        <CardHeader
          title="Users"
          description={
            mailConfigured()
              ? "Ending a user's sessions signs them out on their next request; disabling also keeps them from signing in again. Users verify their address with the link mailed to them; mark one verified only when you know the address is theirs."
              : "Ending a user's sessions signs them out on their next request; disabling also keeps them from signing in again. Mail is not configured on this server (TESSERA_SMTP_URL), so nobody receives a verification link: mark an address verified once you know it is the user's."
          }
        />
        <ul className="divide-y divide-zinc-100">
          {users.map((u) => (
            <li key={u.id} className="flex flex-wrap items-center justify-between gap-3 px-5 py-3">
              <div className="min-w-0">
                <p className="truncate text-sm font-medium text-zinc-900">{u.email}</p>
                <p className="text-xs text-zinc-500">Joined {u.createdAt.toISOString().slice(0, 10)}</p>
              </div>
              <div className="flex flex-wrap items-center gap-2">
                {u.isPlatformAdmin && <Badge tone="blue">platform admin</Badge>}
                {u.disabledAt && <Badge tone="red">disabled</Badge>}
                {u.emailVerifiedAt ? <Badge tone="green">verified</Badge> : <Badge tone="amber">not verified</Badge>}
                {!u.emailVerifiedAt && <MarkVerified userId={u.id} email={u.email} />}
                {u.id !== actor.userId && !u.disabledAt && <EndUserSessions userId={u.id} email={u.email} />}
                {u.id !== actor.userId && <UserToggle userId={u.id} email={u.email} disabled={!!u.disabledAt} />}
              </div>
            </li>
          ))}
        </ul>
      </Card>
    </Shell>
  );
}
