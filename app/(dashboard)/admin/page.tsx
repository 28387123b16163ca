import Link from "next/link";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { Globe, Inbox, Search } from "lucide-react";
import { Shell } from "@/app/_components/shell";
import { Badge, Card, CardHeader, EmptyState, Input, PageHeader, STATUS_TONE, buttonClass, cn } from "@/app/_components/ui";
import { AppError } from "@/lib/errors";
import { publicOrigin, requestOrigin } from "@/lib/http/origin";
import { listUsers } from "@/lib/services/users";
import { mailConfigured } from "@/lib/services/verification";
import { listWorkspacesForReview } from "@/lib/services/workspaces";
import { myWorkspaces, requireActor } from "../data";
import { EndUserSessions, MarkVerified, ReviewButtons, UserToggle } from "./controls";

export const metadata = { title: "Admin · Tessera" };

const TABS = ["requested", "pending", "active", "rejected", "all"] as const;

// Platform admins: workspace activation requests (approve / reject) and users (disable, mark verified).
export default async function AdminPage({ searchParams }: { searchParams: Promise<{ status?: string; q?: string; cursor?: string }> }) {
  const actor = await requireActor();
  const { status: raw, q: rawQ, cursor: rawCursor } = await searchParams;
  const status = (TABS as readonly string[]).includes(raw ?? "") ? (raw as (typeof TABS)[number]) : "requested";
  const q = typeof rawQ === "string" ? rawQ.trim().slice(0, 200) : "";
  const cursor = typeof rawCursor === "string" ? rawCursor : "";
  // The services decide who is a platform admin; everyone else gets a plain 404. A cursor that is
  // not one (edited by hand) starts again from the first page.
  const users = (query: { q?: string; cursor?: string }) =>
    listUsers(actor, query).catch((err: unknown) => {
      if (err instanceof AppError && err.code === "VALIDATION_FAILED" && query.cursor) return listUsers(actor, { q: query.q });
      throw err;
    });
  const [workspaces, userPage] = await Promise.all([listWorkspacesForReview(actor, status), users({ q: q || undefined, cursor: cursor || undefined })]).catch((err: unknown) => {
    if (err instanceof AppError && err.code === "FORBIDDEN") notFound();
    throw err;
  });
  const mine = await myWorkspaces();
  // Links in mails (invitations, password resets, verification) use TESSERA_PUBLIC_URL, and the
  // dashboard takes changes only from that origin: say so when the admin uses another address.
  const inUse = requestOrigin(await headers());
  const configured = publicOrigin();
  const mismatch = inUse !== null && configured !== null && inUse !== configured;
  const usersHref = (over: { q?: string; cursor?: string }) => {
    const p = new URLSearchParams();
    if (status !== "requested") p.set("status", status);
    if (over.q) p.set("q", over.q);
    if (over.cursor) p.set("cursor", over.cursor);
    const qs = p.toString();
    return `/admin${qs ? `?${qs}` : ""}#users`;
  };
  return (
    <Shell user={{ email: actor.email, isPlatformAdmin: true }} workspaces={mine} current={null}>
      <PageHeader title="Admin" description="Review workspace activation requests and manage users." />
      {mismatch && (
        <div role="status" data-testid="public-url-mismatch" className="mb-6 flex items-start gap-2.5 rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
          <Globe className="mt-0.5 size-4 shrink-0 text-amber-600" aria-hidden />
          <p>
            You are using this server at <span className="font-mono">{inUse}</span>, but its public URL (<span className="font-mono">TESSERA_PUBLIC_URL</span>) is{" "}
            <span className="font-mono">{configured}</span>. Invitation, password-reset and verification links use the public URL, and the dashboard accepts
            changes only from it. Set <span className="font-mono">TESSERA_PUBLIC_URL</span> to the address people use, or open the dashboard at the public URL.
          </p>
        </div>
      )}
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

      <Card className="mt-8 overflow-hidden" id="users">
        <CardHeader
          title="Users"
          description={
            mailConfigured()
              ? "Ending a user's sessions signs them out on their next request; disabling also keeps them from signing in again. Users verify their address with the link mailed to them; mark one verified only when you know the address is theirs."
              : "Ending a user's sessions signs them out on their next request; disabling also keeps them from signing in again. Mail is not configured on this server (TESSERA_SMTP_URL), so nobody receives a verification link: mark an address verified once you know it is the user's."
          }
        />
        <form method="get" action="/admin#users" role="search" aria-label="Users" className="flex flex-wrap items-center gap-2 border-b border-zinc-100 px-5 py-3">
          {status !== "requested" && <input type="hidden" name="status" value={status} />}
          <label htmlFor="user-search" className="sr-only">
            Search users by email or name
          </label>
          <Input id="user-search" name="q" type="search" defaultValue={q} maxLength={200} placeholder="Email or name" className="min-w-0 max-w-sm flex-1" />
          <button type="submit" className={buttonClass("secondary")}>
            <Search className="size-4" aria-hidden />
            Search
          </button>
          {q && (
            <Link href={usersHref({})} className={buttonClass("ghost")}>
              Clear
            </Link>
          )}
        </form>
        {userPage.data.length === 0 && (
          <p className="px-5 py-4 text-sm text-zinc-600" data-testid="no-users">
            {q ? `No user's email address or name contains "${q}".` : "No users."}
          </p>
        )}
        <ul className="divide-y divide-zinc-100" data-testid="user-list">
          {userPage.data.map((u) => (
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
        {(cursor || userPage.nextCursor) && (
          <nav aria-label="User pages" className="flex flex-wrap items-center justify-end gap-2 border-t border-zinc-100 px-5 py-3">
            {cursor && (
              <Link href={usersHref({ q })} className={buttonClass("ghost")}>
                First page
              </Link>
            )}
            {userPage.nextCursor && (
              <Link href={usersHref({ q, cursor: userPage.nextCursor })} className={buttonClass("secondary")}>
                Next page
              </Link>
            )}
          </nav>
        )}
      </Card>
    </Shell>
  );
}
