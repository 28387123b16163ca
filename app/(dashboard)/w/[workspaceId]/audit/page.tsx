import { Download, FileClock } from "lucide-react";
import Link from "next/link";
import { Badge, Card, CardBody, CardHeader, EmptyState, Input, Label, PageHeader, Select, buttonClass, cn } from "@/app/_components/ui";
import { roleCan } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { AUDIT_ACTIONS, AUDIT_EVENT_GROUPS } from "@/lib/schemas/audit-events";
import { listAuditEvents } from "@/lib/services/audit";
import { pageWorkspace } from "../../../data";
import { CopyId } from "./copy-id";
import { EventDetails } from "./event-details";
import { targetText, viewOf } from "./present";
import { RetentionForm } from "./retention";

export const metadata = { title: "Audit · Tessera" };

const FILTERS = ["actor", "action", "target", "result", "from", "to"] as const;
const TONE = { success: "green", denied: "red", failure: "amber" } as const;

type Search = Partial<Record<(typeof FILTERS)[number] | "cursor", string | string[]>>;
type Filter = (typeof FILTERS)[number];

/** What each filter expects, said where a value was refused (the schema's words otherwise). */
const EXPECTED: Partial<Record<Filter, string>> = {
  from: "use a date like 2026-12-01, or a date and time like 2026-12-01T09:30:00Z",
  to: "use a date like 2026-12-31, or a date and time like 2026-12-31T18:00:00Z",
};

const SHORT: Partial<Record<Filter, string>> = { from: "Use a date like 2026-12-01", to: "Use a date like 2026-12-31" };

/** The cells of a row turn into labelled lines of a card on phones. */
const CELL = "px-4 py-2.5 max-md:block max-md:px-0 max-md:py-0.5 max-md:before:mr-2 max-md:before:text-xs max-md:before:font-medium max-md:before:uppercase max-md:before:text-zinc-500 max-md:before:content-[attr(data-label)]";

// The audit log: filters as GET parameters, cursor pagination (newest first), exports and retention.
export default async function AuditPage({ params, searchParams }: { params: Promise<{ workspaceId: string }>; searchParams: Promise<Search> }) {
  const { actor, workspace } = await pageWorkspace(params);
  const raw = await searchParams;
  const one = (k: keyof Search) => (typeof raw[k] === "string" ? (raw[k] as string) : "");
  const filters = Object.fromEntries(FILTERS.map((k) => [k, one(k)]).filter(([, v]) => v)) as Record<string, string>;
  const base = `/w/${workspace.id}/audit`;
  const qs = (extra: Record<string, string> = {}) => new URLSearchParams({ ...filters, ...extra }).toString();

  let page: Awaited<ReturnType<typeof listAuditEvents>> | null = null;
  const fieldErrors: Partial<Record<Filter, string>> = {};
  const problems: string[] = [];
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
    for (const d of err.details ?? []) {
      const field = (FILTERS as readonly string[]).includes(d.path) ? (d.path as Filter) : null;
      const message = field && EXPECTED[field] && d.message !== "must not be before from" ? EXPECTED[field]! : d.message;
      if (field) fieldErrors[field] ??= message;
      else problems.push(`${d.path}: ${message}`);
    }
    if (!err.details?.length) problems.push(err.message);
  }
  const fieldError = (k: Filter) =>
    fieldErrors[k] ? { "aria-invalid": true as const, "aria-describedby": `f-${k}-error` } : {};
  // Under the field, briefly (the alert above the log says it in full).
  const errorOf = (k: Filter) =>
    fieldErrors[k] ? (
      <p id={`f-${k}-error`} className="mt-1.5 text-sm text-red-700">
        {SHORT[k] && fieldErrors[k] === EXPECTED[k] ? SHORT[k] : fieldErrors[k]}
      </p>
    ) : null;
  const errorList = [...FILTERS.filter((k) => fieldErrors[k]).map((k) => `${k}: ${fieldErrors[k]}`), ...problems];
  const knownAction = !filters.action || filters.action.endsWith(".") || (AUDIT_ACTIONS as readonly string[]).includes(filters.action);
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
            <Input id="f-actor" name="actor" defaultValue={filters.actor} placeholder="email or id" maxLength={200} {...fieldError("actor")} />
            {errorOf("actor")}
          </div>
          <div>
            <Label htmlFor="f-action">Action</Label>
            <Select id="f-action" name="action" defaultValue={filters.action ?? ""} {...fieldError("action")}>
              <option value="">Any action</option>
              {!knownAction && <option value={filters.action}>{filters.action}</option>}
              {AUDIT_EVENT_GROUPS.map((g) => (
                <optgroup key={g.prefix} label={g.label}>
                  <option value={g.prefix}>All {g.label.toLowerCase()} events</option>
                  {g.events.map((e) => (
                    <option key={e.action} value={e.action}>
                      {e.label} ({e.action})
                    </option>
                  ))}
                </optgroup>
              ))}
            </Select>
            {errorOf("action")}
          </div>
          <div>
            <Label htmlFor="f-target">Target</Label>
            <Input id="f-target" name="target" defaultValue={filters.target} placeholder="id, type or type:id" maxLength={200} {...fieldError("target")} />
            {errorOf("target")}
          </div>
          <div>
            <Label htmlFor="f-result">Result</Label>
            <Select id="f-result" name="result" defaultValue={filters.result ?? ""} {...fieldError("result")}>
              <option value="">Any</option>
              <option value="success">success</option>
              <option value="denied">denied</option>
              <option value="failure">failure</option>
            </Select>
            {errorOf("result")}
          </div>
          <div>
            <Label htmlFor="f-from">From (UTC)</Label>
            <Input id="f-from" name="from" defaultValue={filters.from} placeholder="2026-12-01" maxLength={40} autoComplete="off" {...fieldError("from")} />
            {errorOf("from")}
          </div>
          <div>
            <Label htmlFor="f-to">To (UTC)</Label>
            <Input id="f-to" name="to" defaultValue={filters.to} placeholder="2026-12-31" maxLength={40} autoComplete="off" {...fieldError("to")} />
            {errorOf("to")}
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
      {errorList.length > 0 && (
        <div role="alert" className="mb-5 rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-700">
          <p className="font-medium">These filters were not applied:</p>
          <ul className="mt-1 list-disc pl-5">
            {errorList.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        </div>
      )}
      {page && page.data.length === 0 && (
        <EmptyState
          icon={<FileClock className="size-5" />}
          title={Object.keys(filters).length ? "No events match these filters" : "No events yet"}
          description="Changes to this workspace, and denied attempts, appear here as they happen."
        />
      )}
      {page && page.data.length > 0 && (
        // No horizontal scroll: fixed columns that truncate (full values on hover and in Details);
        // on phones each row is a card of labelled lines.
        <Card data-testid="audit-table-container" className="overflow-hidden">
          <table className="w-full table-fixed text-left text-sm max-md:block" data-testid="audit-table">
            <caption className="sr-only">Audit events, newest first</caption>
            <thead className="border-b border-zinc-200 bg-zinc-50 text-xs uppercase tracking-wide text-zinc-500 max-md:hidden">
              <tr>
                {[
                  ["When (UTC)", "w-[7rem]"],
                  ["Actor", "w-[20%]"],
                  ["Action and result", ""],
                  ["Target", "w-[24%]"],
                  ["Address", "w-[7.5rem]"],
                  ["", "w-[6rem]"],
                ].map(([h, w]) => (
                  <th key={h} scope="col" className={cn("px-4 py-2.5 font-medium", w)}>
                    {h || <span className="sr-only">Details</span>}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 max-md:block">
              {page.data.map((event) => {
                const e = viewOf(event);
                return (
                  <tr key={e.id} data-testid="audit-row" className="align-top max-md:block max-md:px-4 max-md:py-3">
                    <td data-label="When" className={cn(CELL, "text-zinc-600")}>
                      <time dateTime={new Date(event.createdAt).toISOString()}>
                        <span className="whitespace-nowrap">{e.when.slice(0, 10)}</span> <span className="whitespace-nowrap">{e.when.slice(11, 16)}</span>
                      </time>
                    </td>
                    <td data-label="Actor" className={cn(CELL, "truncate text-zinc-900")} title={e.actorId ? `${e.actorType} ${e.actorId}` : e.actorType}>
                      {e.actorLabel ?? e.actorType}
                    </td>
                    <td data-label="Action" className={cn(CELL, "min-w-0")}>
                      <span className="mr-1.5 font-medium text-zinc-900">{e.actionLabel ?? e.action}</span>
                      <Badge tone={TONE[e.result as keyof typeof TONE] ?? "gray"}>{e.result}</Badge>
                      <code className="block truncate font-mono text-xs text-zinc-500" title={e.action}>
                        {e.action}
                      </code>
                      {e.change && (
                        <span className="block break-words text-xs text-zinc-700 [overflow-wrap:anywhere]" data-testid="audit-change">
                          {e.change}
                        </span>
                      )}
                    </td>
                    <td data-label="Target" className={cn(CELL, "min-w-0 text-zinc-700")}>
                      <span className="inline-flex max-w-full min-w-0 items-center gap-1 align-top max-md:max-w-[calc(100%-4.5rem)]">
                        <span className="truncate" title={e.targetType ? `${e.targetType}${e.targetId ? ` ${e.targetId}` : ""}` : undefined} data-testid="audit-target">
                          {targetText(e)}
                        </span>
                        {e.targetId && <CopyId value={e.targetId} label={`Copy ${e.targetType ?? "target"} id`} />}
                      </span>
                    </td>
                    <td data-label="Address" className={cn(CELL, "truncate font-mono text-xs text-zinc-600 md:pt-3 max-md:before:font-sans")} title={e.ip ?? undefined}>
                      {e.ip ?? "—"}
                    </td>
                    <td className="px-2 py-1.5 text-right max-md:block max-md:px-0 max-md:pt-1 max-md:text-left">
                      <EventDetails event={e} />
                    </td>
                  </tr>
                );
              })}
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
