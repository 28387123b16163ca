"use client";

// The Overview's "Get started" checklist: steps derived from the workspace's data on the server;
// here only the commands (with the browser's address) and "Dismiss" (a cookie, per workspace).
import { CheckCircle2, Circle, X } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { CommandBox, useOrigin } from "@/app/_components/cli";
import { runCommand } from "@/app/_components/cli-commands";
import { Card, cn } from "@/app/_components/ui";
import { checklistCookie, type ChecklistStep } from "./overview";

export function Checklist({
  workspaceId,
  steps,
  fallbackOrigin,
  workloadName,
}: {
  workspaceId: string;
  steps: ChecklistStep[];
  fallbackOrigin: string;
  workloadName: string | null;
}) {
  const router = useRouter();
  const origin = useOrigin(fallbackOrigin);
  const done = steps.filter((s) => s.done).length;
  const next = steps.find((s) => !s.done)?.id;
  const command = (id: ChecklistStep["id"]) =>
    id === "call"
      ? `curl -H "Authorization: Bearer $TESSERA_TOKEN" ${origin}/api/v1/workspaces/${workspaceId}`
      : id === "run"
        ? runCommand({ origin, workspaceId, workload: workloadName ?? "<workload name>" })
        : null;
  return (
    <Card className="mb-6" aria-labelledby="checklist-title" data-testid="checklist">
      <div className="flex flex-wrap items-start justify-between gap-3 border-b border-zinc-100 px-5 py-4">
        <div>
          <h2 id="checklist-title" className="text-base font-semibold text-zinc-900">
            Get started
          </h2>
          <p className="mt-0.5 text-sm text-zinc-500">
            {done} of {steps.length} done. Each step ticks itself once it has happened.
          </p>
        </div>
        <button
          type="button"
          className="inline-flex items-center gap-1.5 rounded-md px-2 py-1 text-sm text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900"
          onClick={() => {
            document.cookie = `${checklistCookie(workspaceId)}=dismissed; path=/; max-age=31536000; samesite=lax`;
            router.refresh();
          }}
        >
          <X className="size-4" aria-hidden />
          Dismiss
        </button>
      </div>
      <ol className="divide-y divide-zinc-100">
        {steps.map((s) => {
          const cmd = !s.done && s.id === next ? command(s.id) : null;
          return (
            <li key={s.id} className="flex gap-3 px-5 py-3" data-testid={`step-${s.id}`} data-done={s.done ? "true" : "false"}>
              {s.done ? (
                <CheckCircle2 className="mt-0.5 size-5 shrink-0 text-emerald-600" aria-hidden />
              ) : (
                <Circle className="mt-0.5 size-5 shrink-0 text-zinc-400" aria-hidden />
              )}
              <div className="min-w-0 flex-1">
                <p className={cn("text-sm font-medium", s.done ? "text-zinc-500 line-through decoration-zinc-300" : "text-zinc-900")}>
                  {s.title}
                  <span className="sr-only">{s.done ? " (done)" : " (to do)"}</span>
                </p>
                {!s.done && <p className="mt-0.5 text-sm text-zinc-600">{s.description}</p>}
                {cmd && <CommandBox command={cmd} label="Copy command" testId={`step-${s.id}-command`} className="mt-2" />}
              </div>
              {!s.done && (
                <Link href={s.href} className="shrink-0 self-start text-sm font-medium text-brand-600 hover:text-brand-700">
                  {s.linkLabel}
                </Link>
              )}
            </li>
          );
        })}
      </ol>
    </Card>
  );
}
