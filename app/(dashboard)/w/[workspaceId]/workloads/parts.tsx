// Pieces shared by the Workloads list and a workload's own page (server components).
import { KeyRound, LockKeyhole } from "lucide-react";
import Link from "next/link";
import { RunCommand } from "@/app/_components/cli";
import { CopyButton } from "@/app/_components/copy-button";
import { Badge } from "@/app/_components/ui";
import type { WorkloadOutput } from "@/lib/schemas/secret";
import { formatUtc } from "../tokens/format";

/** The environment: literal values, and secrets by name only. */
export function EnvironmentList({ workload }: { workload: Pick<WorkloadOutput, "name" | "bindings"> }) {
  if (workload.bindings.length === 0) return <p className="text-sm text-zinc-500">No variables.</p>;
  return (
    <ul className="space-y-1 text-sm" aria-label={`Environment of ${workload.name}`}>
      {workload.bindings.map((b) => (
        <li key={b.envName} className="flex min-w-0 flex-wrap items-center gap-x-2">
          <code className="font-mono text-xs text-zinc-900">{b.envName}</code>
          <span className="text-zinc-400">=</span>
          {b.secret ? (
            <span className="inline-flex items-center gap-1 text-zinc-700">
              <LockKeyhole className="size-3.5" aria-hidden /> {b.secret.name === null ? "another member's private secret" : `secret ${b.secret.name}`}
              {b.secret.formerMember && (
                <span
                  className="ml-1 rounded bg-red-50 px-1.5 py-0.5 text-xs font-medium text-red-700 ring-1 ring-red-200"
                  title="Its creator has left the workspace or was disabled: the workload gets no environment until another secret is bound to this variable"
                >
                  former member&apos;s private secret: rebind
                </span>
              )}
            </span>
          ) : (
            <code className="min-w-0 truncate font-mono text-xs text-zinc-600">{b.value}</code>
          )}
        </li>
      ))}
    </ul>
  );
}

/**
 * The workload tokens bound to a workload. Each token is one line that wraps between its parts
 * (name, key, expiry), never inside a name or a date.
 */
export function WorkloadTokenList({ workspaceId, tokens, empty }: { workspaceId: string; tokens: WorkloadOutput["tokens"]; empty?: React.ReactNode }) {
  if (tokens.length === 0) {
    return (
      <p className="text-sm text-zinc-500">
        {empty ?? (
          <>
            None. <Link href={`/w/${workspaceId}/tokens`} className="font-medium text-brand-600 hover:text-brand-700">Create a workload token</Link>
          </>
        )}
      </p>
    );
  }
  return (
    <ul className="space-y-1.5 text-sm" aria-label="Workload tokens">
      {tokens.map((t) => (
        <li key={t.id} data-testid="workload-token" className="flex min-w-0 flex-wrap items-center gap-x-2 gap-y-0.5 text-zinc-700">
          <KeyRound className="size-3.5 shrink-0" aria-hidden />
          <span className="min-w-0 max-w-full truncate font-medium" title={t.name}>
            {t.name}
          </span>
          <code className="whitespace-nowrap font-mono text-xs text-zinc-500">{t.partialKey}</code>
          {t.status !== "active" ? (
            <Badge tone="red">{t.status}</Badge>
          ) : (
            <span className="whitespace-nowrap text-xs text-zinc-500">until {formatUtc(t.expiresAt).slice(0, 10)}</span>
          )}
        </li>
      ))}
    </ul>
  );
}

/** How the workload gets its environment: the `tessera run` command for this server, workspace and workload. */
export function RunHint({ origin, workspaceId, workload }: { origin: string; workspaceId: string; workload: { id: string; name: string } }) {
  return (
    <div className="border-t border-zinc-100 bg-zinc-50/60 px-5 py-3">
      <div className="mb-1.5 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-zinc-500">
        <span className="font-medium uppercase tracking-wide">Run it</span>
        <span>
          Workload ID <code className="font-mono text-zinc-700">{workload.id}</code>
        </span>
        <CopyButton value={workload.id} label={`Copy the ID of ${workload.name}`} />
      </div>
      <RunCommand fallbackOrigin={origin} workspaceId={workspaceId} workload={workload.name} />
      <p className="mt-1.5 text-xs text-zinc-500">
        With one of its workload tokens in <code className="font-mono">TESSERA_TOKEN</code> (a new token&apos;s reveal shows this command with the value filled in). The token exchanges itself for a credential that lives at most 15 minutes; secret values in the command&apos;s output are replaced by <code className="font-mono">[redacted:NAME]</code>.
      </p>
    </div>
  );
}
