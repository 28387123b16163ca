import { Download, FileClock } from "lucide-react";
import Link from "next/link";
import { Badge, Card, CardBody, CardHeader, EmptyState, Input, Label, PageHeader, Select, buttonClass } from "@/app/_components/ui";
import { roleCan } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { listAuditEvents } from "@/lib/services/audit";
import { pageWorkspace } from "../../../data";
import { formatUtc } from "../tokens/format";
import { RetentionForm } from "./retention";

export const metadata = { title: "Audit · Tessera" };

const FILTERS = ["actor", "action", "target", "result", "from", "to"] as const;
const TONE = { success: "green", denied: "red", failure: "amber" } as const;

type Search = Partial<Record<(typeof FILTERS)[number] | "cursor", string | string[]>>;

// The audit log: filters as GET parameters, cursor pagination (newest first), exports and retention.
export default async function AuditPage({ params, searchParams }: { params: Promise<{ workspaceId: string }>; searchParams: Promise<Search> }) {
  const { actor, workspace } = await pageWorkspace(params);
  const raw = await searchParams;
  const one = (k: keyof Search) => (typeof raw[k] === "string" ? (raw[k] as string) : "");
  const filters = Object.fromEntries(FILTERS.map((k) => [k, one(k)]).filter(([, v]) => v)) as Record<string, string>;
  const base = `/w/${workspace.id}/audit`;
  const qs = (extra: Record<string, string> = {}) => new URLSearchParams({ ...filters, ...extra }).toString();

  let page: Awaited<ReturnType<typeof listAuditEvents>> | null = null;
  let problem: string | null = null;
  try {
    page = await listAuditEvents(actor, workspace.id, { ...filters, ...(one("cursor") ? { cursor: one("cursor") } : {}), limit: 50 });
  } catch (err) {
    if (err instanceof AppError && err.code === "FORBIDDEN") {
      return (
        <>
          <PageHeader title="Audit log" description="Every change and every denied attempt in this workspace." />
          <EmptyState icon={<FileClock className="size-5" />} title="The audit log is for admins" description="Ask an owner or admin of this workspace if you need to see who changed what." />
        </>
      );
    }
    if (!(err instanceof AppError && err.code === "VALIDATION_FAILED")) throw err;
    problem = err.message.replace(/^Invalid input at /, "Check the filter ");
  }
  const canSettle = workspace.role !== null && roleCan(workspace.role, "workspace.update");
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change and every denied attempt in this workspace: who, what, which target, when (UTC) and from where."
        actions={
          <div className="flex gap-2">
            <a className={buttonClass("secondary")} href={`${base}/export?${qs({ format: "csv" })}`} download>
              <Download className="size-4" aria-hidden /> CSV
            </a>
            <a className={buttonClass("secondary")} href={`${base}/export?${qs({ format: "jsonl" })}`} download>
              <Download className="size-4" aria-hidden /> JSON Lines
            </a>
          </div>
        }
      />
      <Card className="mb-5">
        <form method="get" action={base} className="grid gap-3 px-5 py-4 sm:grid-cols-3 lg:grid-cols-6" aria-label="Filter events">
          <div>
            <Label htmlFor="f-actor">Actor</Label>
            <Input id="f-actor" name="actor" defaultValue={filters.actor} placeholder="email or id" maxLength={200} />
          </div>
          <div>
            <Label htmlFor="f-action">Action</Label>
            <Input id="f-action" name="action" defaultValue={filters.action} placeholder="member. or token.create" maxLength={100} />
          </div>
          <div>
            <Label htmlFor="f-target">Target</Label>
            <Input id="f-target" name="target" defaultValue={filters.target} placeholder="id, type or type:id" maxLength={200} />
          </div>
          <div>
            <Label htmlFor="f-result">Result</Label>
            <Select id="f-result" name="result" defaultValue={filters.result ?? ""}>
              <option value="">Any</option>
              <option value="success">success</option>
              <option value="denied">denied</option>
              <option value="failure">failure</option>
            </Select>
          </div>
          <div>
            <Label htmlFor="f-from">From (UTC)</Label>
            <Input id="f-from" name="from" type="date" defaultValue={filters.from} />
          </div>
          <div>
            <Label htmlFor="f-to">To (UTC)</Label>
            <Input id="f-to" name="to" type="date" defaultValue={filters.to} />
          </div>
          <div className="flex gap-2 sm:col-span-3 lg:col-span-6">
            <button type="submit" className={buttonClass("primary")}>
              Apply filters
            </button>
            {Object.keys(filters).length > 0 && (
              <Link href={base} className={buttonClass("ghost")}>
                Clear
              </Link>
            )}
          </div>
        </form>
      </Card>
      {problem && (
        <p role="alert" className="mb-5 rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-700">
          {problem}
        </p>
      )}
      {page && page.data.length === 0 && (
        <EmptyState
          icon={<FileClock className="size-5" />}
          title={Object.keys(filters).length ? "No events match these filters" : "No events yet"}
          description="Changes to this workspace, and denied attempts, appear here as they happen."
        />
      )}
      {page && page.data.length > 0 && (
        <Card className="overflow-x-auto">
          <table className="w-full min-w-[56rem] text-left text-sm" data-testid="audit-table">
            <caption className="sr-only">Audit events, newest first</caption>
            <thead className="border-b border-zinc-200 bg-zinc-50 text-xs uppercase tracking-wide text-zinc-500">
              <tr>
                {["When (UTC)", "Actor", "Action", "Target", "Result", "Address", "Request"].map((h) => (
                  <th key={h} scope="col" className="px-4 py-2.5 font-medium">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {page.data.map((e) => (
                <tr key={e.id} data-testid="audit-row" className="align-top">
                  <td className="whitespace-nowrap px-4 py-2.5 text-zinc-600">{formatUtc(e.createdAt).replace(" UTC", "")}</td>
                  <td className="max-w-[14rem] truncate px-4 py-2.5 text-zinc-900" title={e.actorId ?? undefined}>
                    {e.actorLabel ?? e.actorType}
                  </td>
                  <td className="px-4 py-2.5">
                    <code className="font-mono text-xs text-zinc-900">{e.action}</code>
                  </td>
                  <td className="max-w-[14rem] truncate px-4 py-2.5 text-zinc-600" title={e.targetId ?? undefined}>
                    {e.targetType ? `${e.targetType}${e.targetId ? ` ${e.targetId}` : ""}` : "—"}
                  </td>
                  <td className="px-4 py-2.5">
                    <Badge tone={TONE[e.result as keyof typeof TONE] ?? "gray"}>{e.result}</Badge>
                  </td>
                  <td className="whitespace-nowrap px-4 py-2.5 font-mono text-xs text-zinc-600">{e.ip ?? "—"}</td>
                  <td className="max-w-[10rem] truncate px-4 py-2.5 font-mono text-xs text-zinc-500" title={e.requestId ?? undefined}>
                    {e.requestId ?? "—"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      )}
      {page && (one("cursor") || page.nextCursor) && (
        <nav aria-label="Pages" className="mt-4 flex justify-between">
          {one("cursor") ? (
            <Link href={`${base}?${qs()}`} className={buttonClass("secondary")}>
              ← Newest
            </Link>
          ) : (
            <span />
          )}
          {page.nextCursor && (
            <Link href={`${base}?${qs({ cursor: page.nextCursor })}`} className={buttonClass("secondary")}>
              Older events →
            </Link>
          )}
        </nav>
      )}
      {canSettle && (
        <Card className="mt-8">
          <CardHeader title="Retention" description="Events older than this are deleted once an hour. Export them first if you must keep them elsewhere." />
          <CardBody>
            <RetentionForm workspaceId={workspace.id} days={workspace.auditRetentionDays} />
          </CardBody>
        </Card>
      )}
    </>
  );
}
