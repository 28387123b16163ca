"use client";

// One audit event in a drawer: who, what, which target, from where (address, user agent, request
// id) and its metadata as keys and values. Audit events never hold a token or secret value.
import { PanelRight, X } from "lucide-react";
import { Dialog } from "radix-ui";
import { CopyButton } from "@/app/_components/copy-button";
import { Badge } from "@/app/_components/ui";
import { metadataValue, targetText, type AuditEventView } from "./present";

const TONE = { success: "green", denied: "red", failure: "amber" } as const;

function Row({ term, children, copy }: { term: string; children: React.ReactNode; copy?: { value: string; label: string } }) {
  return (
    <div className="grid grid-cols-[8rem_1fr] gap-3 py-2.5 max-sm:grid-cols-1 max-sm:gap-1">
      <dt className="text-sm font-medium text-zinc-500">{term}</dt>
      <dd className="flex min-w-0 items-start gap-2 text-sm text-zinc-900">
        <span className="min-w-0 break-words [overflow-wrap:anywhere]">{children}</span>
        {copy && <CopyButton value={copy.value} label={copy.label} className="shrink-0 px-1.5 py-1" />}
      </dd>
    </div>
  );
}

export function EventDetails({ event: e }: { event: AuditEventView }) {
  const metadata = Object.entries(e.metadata ?? {});
  return (
    <Dialog.Root>
      <Dialog.Trigger asChild>
        <button
          type="button"
          className="inline-flex items-center gap-1.5 rounded-md px-2 py-1 text-sm font-medium text-brand-700 hover:bg-brand-50 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500/40"
        >
          <PanelRight className="size-4" aria-hidden />
          Details<span className="sr-only"> of {e.actionLabel ?? e.action}, {e.when}</span>
        </button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-zinc-900/40" />
        <Dialog.Content
          data-testid="audit-details"
          className="fixed inset-y-0 right-0 z-50 flex w-full max-w-lg flex-col bg-white shadow-xl focus:outline-none"
        >
          <div className="flex items-start justify-between gap-3 border-b border-zinc-200 px-6 py-4">
            <div className="min-w-0">
              <Dialog.Title className="text-lg font-semibold text-zinc-900">{e.actionLabel ?? e.action}</Dialog.Title>
              <Dialog.Description className="mt-0.5 text-sm text-zinc-600">
                {e.when} · <code className="font-mono text-xs">{e.action}</code>
              </Dialog.Description>
            </div>
            <Dialog.Close className="rounded-md p-1.5 text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900" aria-label="Close">
              <X className="size-5" aria-hidden />
            </Dialog.Close>
          </div>
          <div className="flex-1 overflow-y-auto px-6 py-2">
            <dl className="divide-y divide-zinc-100">
              <Row term="Result">
                <Badge tone={TONE[e.result as keyof typeof TONE] ?? "gray"}>{e.result}</Badge>
              </Row>
              <Row term="Actor" copy={e.actorId ? { value: e.actorId, label: "Copy actor id" } : undefined}>
                {e.actorLabel ?? e.actorType}
                <span className="block font-mono text-xs text-zinc-500">
                  {e.actorType}
                  {e.actorId ? ` ${e.actorId}` : ""}
                </span>
              </Row>
              <Row term="Target" copy={e.targetId ? { value: e.targetId, label: "Copy target id" } : undefined}>
                {targetText(e)}
                {e.targetType && (
                  <span className="block font-mono text-xs text-zinc-500">
                    {e.targetType}
                    {e.targetId ? ` ${e.targetId}` : ""}
                  </span>
                )}
              </Row>
              {e.change && <Row term="Change">{e.change}</Row>}
              <Row term="Address">{e.ip ?? "—"}</Row>
              <Row term="User agent">{e.userAgent ?? "—"}</Row>
              <Row term="Request id" copy={e.requestId ? { value: e.requestId, label: "Copy request id" } : undefined}>
                <span className="font-mono text-xs">{e.requestId ?? "—"}</span>
              </Row>
              <Row term="Event id">
                <span className="font-mono text-xs">{e.id}</span>
              </Row>
            </dl>
            <h3 className="mt-5 text-sm font-semibold text-zinc-900">Details recorded</h3>
            {metadata.length === 0 ? (
              <p className="mt-1 text-sm text-zinc-500">None.</p>
            ) : (
              <dl className="mt-1 divide-y divide-zinc-100" data-testid="audit-metadata">
                {metadata.map(([k, v]) => {
                  const text = metadataValue(v);
                  return (
                    <div key={k} className="grid grid-cols-[8rem_1fr] gap-3 py-2 max-sm:grid-cols-1 max-sm:gap-1">
                      <dt className="break-words font-mono text-xs text-zinc-500">{k}</dt>
                      <dd className="min-w-0 text-sm text-zinc-900">
                        {text.includes("\n") ? (
                          <pre className="whitespace-pre-wrap break-words rounded bg-zinc-50 p-2 font-mono text-xs">{text}</pre>
                        ) : (
                          <span className="break-words [overflow-wrap:anywhere]">{text}</span>
                        )}
                      </dd>
                    </div>
                  );
                })}
              </dl>
            )}
            <p className="mt-5 pb-4 text-xs text-zinc-500">Audit events never hold a token or secret value.</p>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
