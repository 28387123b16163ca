import { CheckCircle2, Clock, FileClock, KeyRound, LockKeyhole, Server, Users } from "lucide-react";
import { cookies } from "next/headers";
import Link from "next/link";
import { Badge, Card, CardHeader, PageHeader, STATUS_TONE } from "@/app/_components/ui";
import { unwrittenUse } from "@/lib/auth/last-used";
import { roleCan, type Permission } from "@/lib/auth/permissions";
import { publicBaseUrl } from "@/lib/config";
import { auditActionLabel } from "@/lib/schemas/audit-events";
import { listAuditEvents } from "@/lib/services/audit";
import { listMembers } from "@/lib/services/members";
import { listSecrets } from "@/lib/services/secrets";
import { listTokens } from "@/lib/services/tokens";
import { listWorkloads } from "@/lib/services/workloads";
import { pageWorkspace } from "../../data";
import { Checklist } from "./checklist";
import { checklistCookie, checklistSteps } from "./overview";
import { formatUtc, relative } from "./tokens/format";

export const metadata = { title: "Overview · Tessera" };

/** "just now" for the last minute, else as the lists say it ("5 minutes ago"). */
const ago = (d: Date) => (Date.now() - d.getTime() < 60_000 ? "just now" : relative(d));

/** Recent audit events on the Overview (admins). */
const RECENT_EVENTS = 5;

// The workspace's landing page: activation state, what it holds (with links), what expires soon,
// the "Get started" checklist, and for admins the latest audit events. Every number comes from the
// same list services the pages use, so a role sees here exactly what it sees there.
export default async function OverviewPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { actor, workspace } = await pageWorkspace(params);
  const can = (p: Permission) => workspace.role !== null && roleCan(workspace.role, p);
  const base = `/w/${workspace.id}`;
  const [members, tokens, secrets, workloads, audit, jar] = await Promise.all([
    can("member.read") ? listMembers(actor, workspace.id) : null,
    can("token.read") ? listTokens(actor, workspace.id) : null,
    can("secret.read") ? listSecrets(actor, workspace.id) : null,
    can("workload.read") ? listWorkloads(actor, workspace.id) : null,
    can("audit.read") ? listAuditEvents(actor, workspace.id, { limit: RECENT_EVENTS }) : null,
    cookies(),
  ]);

  const liveTokens = (tokens ?? []).filter((t) => t.status === "active" && !t.expired);
  const expiring = [
    ...liveTokens.filter((t) => t.expiresSoon).map((t) => ({ kind: "Token", name: t.name, at: t.expiresAt, href: `${base}/tokens` })),
    ...(secrets ?? []).filter((s) => s.expiresSoon && !s.expired && s.expiresAt).map((s) => ({ kind: "Secret", name: s.name, at: s.expiresAt!, href: `${base}/secrets` })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());

  const steps = checklistSteps(workspace.id, workspace.role, {
    tokens: (tokens ?? []).map((t) => ({ kind: t.kind, usedAt: t.lastUsedAt ?? unwrittenUse(t.id) })),
    secrets: secrets?.length ?? 0,
    secretBindings: (workloads ?? []).reduce((n, w) => n + w.bindings.filter((b) => b.secret !== null).length, 0),
  });
  const showChecklist = steps.length > 0 && steps.some((s) => !s.done) && jar.get(checklistCookie(workspace.id))?.value !== "dismissed";
  const firstWorkload = workloads?.find((w) => w.bindings.some((b) => b.secret !== null))?.name ?? workloads?.[0]?.name ?? null;

  const counts = [
    { label: "Members", value: members?.length, href: `${base}/members`, icon: Users },
    { label: can("token.manage") ? "Active tokens" : "Your active tokens", value: tokens ? liveTokens.length : undefined, href: `${base}/tokens`, icon: KeyRound },
    { label: "Secrets", value: secrets?.length, href: `${base}/secrets`, icon: LockKeyhole },
    { label: "Workloads", value: workloads?.length, href: `${base}/workloads`, icon: Server },
  ].filter((c) => c.value !== undefined);

  const activation =
    workspace.status === "active"
      ? "Active: tokens, secrets and workloads are all available."
      : workspace.status === "requested"
        ? "Waiting for a platform admin to review the request for access. Members and settings can be set up meanwhile."
        : workspace.status === "rejected"
          ? `Access was not approved: ${workspace.activation.rejectionReason ?? "no reason given"}.`
          : "Not active yet: see the banner above. Until then it cannot create workspace or workload tokens, or workloads.";

  return (
    <>
      <PageHeader title="Overview" description={workspace.name} />

      <Card className="mb-6" aria-labelledby="activation-title">
        <div className="flex flex-wrap items-center gap-3 px-5 py-4">
          <h2 id="activation-title" className="text-sm font-semibold text-zinc-900">
            Activation
          </h2>
          <Badge tone={STATUS_TONE[workspace.status]}>{workspace.status}</Badge>
          <p className="min-w-0 flex-1 basis-64 text-sm text-zinc-600" data-testid="overview-activation">
            {activation}
          </p>
        </div>
      </Card>

      {showChecklist && <Checklist workspaceId={workspace.id} steps={steps} fallbackOrigin={publicBaseUrl()} workloadName={firstWorkload} />}

      <ul className="mb-6 grid grid-cols-2 gap-3 lg:grid-cols-4" aria-label="What this workspace holds">
        {counts.map(({ label, value, href, icon: Icon }) => (
          <li key={label}>
            <Link
              href={href}
              className="flex h-full flex-col gap-1 rounded-xl border border-zinc-200 bg-white px-4 py-3 shadow-sm hover:border-brand-300 hover:bg-brand-50/40"
              data-testid={`count-${label.toLowerCase().replaceAll(" ", "-")}`}
            >
              <span className="flex items-center gap-1.5 text-sm text-zinc-500">
                <Icon className="size-4" aria-hidden />
                {label}
              </span>
              <span className="text-2xl font-semibold tabular-nums text-zinc-900">{value}</span>
            </Link>
          </li>
        ))}
      </ul>

      {(tokens || secrets) && (
        <Card className="mb-6">
          <CardHeader title="Expiring soon" description="Tokens and secrets close to their expiry: renew or replace them in time." />
          {expiring.length === 0 ? (
            <p className="flex items-center gap-2 px-5 py-4 text-sm text-zinc-600">
              <CheckCircle2 className="size-4 text-emerald-600" aria-hidden />
              Nothing expires soon.
            </p>
          ) : (
            <ul className="divide-y divide-zinc-100" data-testid="expiring">
              {expiring.map((e) => (
                <li key={`${e.kind}-${e.name}-${e.at.toISOString()}`} className="flex flex-wrap items-center justify-between gap-2 px-5 py-3 text-sm">
                  <span className="min-w-0">
                    <span className="text-zinc-500">{e.kind} </span>
                    <Link href={e.href} className="font-medium text-zinc-900 underline-offset-2 hover:underline">
                      {e.name}
                    </Link>
                  </span>
                  <span className="flex items-center gap-1.5 text-zinc-600" title={formatUtc(e.at)}>
                    <Clock className="size-4 text-amber-600" aria-hidden />
                    expires {relative(e.at)}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </Card>
      )}

      {audit && (
        <Card>
          <CardHeader title="Recent activity" description="The latest events of the audit log.">
            <Link href={`${base}/audit`} className="text-sm font-medium text-brand-600 hover:text-brand-700">
              Open the audit log
            </Link>
          </CardHeader>
          {audit.data.length === 0 ? (
            <p className="flex items-center gap-2 px-5 py-4 text-sm text-zinc-600">
              <FileClock className="size-4" aria-hidden />
              No events yet.
            </p>
          ) : (
            <ul className="divide-y divide-zinc-100" data-testid="recent-events">
              {audit.data.map((e) => (
                <li key={e.id} className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1 px-5 py-3 text-sm">
                  <span className="min-w-0">
                    <span className="font-medium text-zinc-900" title={e.action}>
                      {auditActionLabel(e.action) ?? e.action}
                    </span>
                    {e.targetLabel && <span className="text-zinc-700">: {e.targetLabel}</span>}
                    {e.result !== "success" && (
                      <>
                        {" "}
                        <Badge tone={e.result === "denied" ? "red" : "amber"}>{e.result}</Badge>
                      </>
                    )}
                    <span className="text-zinc-500"> by {e.actorLabel ?? e.actorType}</span>
                  </span>
                  <time dateTime={e.createdAt.toISOString()} title={formatUtc(e.createdAt)} className="text-zinc-500">
                    {ago(e.createdAt)}
                  </time>
                </li>
              ))}
            </ul>
          )}
        </Card>
      )}
    </>
  );
}
