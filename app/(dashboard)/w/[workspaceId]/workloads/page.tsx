import { KeyRound, LockKeyhole, Server } from "lucide-react";
import Link from "next/link";
import { InstallCli, RunCommand } from "@/app/_components/cli";
import { ListSearch } from "@/app/_components/list-search";
import { Badge, Card, EmptyState, PageHeader } from "@/app/_components/ui";
import { WORKLOAD_KINDS } from "@/lib/schemas/secret";
import { roleCan } from "@/lib/auth/permissions";
import { publicBaseUrl } from "@/lib/config";
import { listSecrets } from "@/lib/services/secrets";
import { listWorkloads } from "@/lib/services/workloads";
import { pageWorkspace } from "../../../data";
import { formatUtc } from "../tokens/format";
import { CopyButton } from "@/app/_components/copy-button";
import { CreateWorkload, WorkloadActions, type SecretChoice } from "./controls";

export const metadata = { title: "Workloads · Tessera" };

// Workloads: each with its environment (literal values, and secrets by name only) and the
// workload tokens that may fetch it.
export default async function WorkloadsPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { actor, workspace } = await pageWorkspace(params);
  const role = workspace.role;
  const canWrite = role !== null && roleCan(role, "workload.write");
  const workloads = await listWorkloads(actor, workspace.id);
  // Bindable: public secrets, and the actor's own private ones (what listSecrets shows, minus former members').
  const secrets: SecretChoice[] = canWrite
    ? (await listSecrets(actor, workspace.id)).filter((s) => !s.orphaned).map((s) => ({ id: s.id, name: s.name, visibility: s.visibility, envName: s.envName }))
    : [];
  const inactive = workspace.status !== "active" ? "Available once the workspace is active." : undefined;
  // The address the browser uses replaces it once the page runs there (as the token reveal does).
  const origin = publicBaseUrl();
  return (
    <>
      <PageHeader
        title="Workloads"
        description="Endpoints, jobs and pods. A workload token bound to one fetches its resolved environment at run time; people never see secret values."
        actions={canWrite && <CreateWorkload workspaceId={workspace.id} secrets={secrets} allowedEnvNames={workspace.allowedEnvNames} disabledReason={inactive} />}
      />
      {workloads.length === 0 ? (
        <EmptyState
          icon={<Server className="size-5" />}
          title="No workloads yet"
          description={inactive ?? "Create a workload, bind its environment variables to secrets, then give it a workload token (Tokens page)."}
        />
      ) : (
        <div className="space-y-4">
          <GetCli origin={origin} />
          <ListSearch noun="workloads" rows="[data-testid=workload-card]" filters={[{ param: "kind", attr: "data-kind", label: "Kind", options: WORKLOAD_KINDS.map((k) => ({ value: k, label: k })) }]}>
          <div className="space-y-4">
          {workloads.map((w) => (
            <Card key={w.id} data-testid="workload-card" data-name={w.name} data-kind={w.kind} data-search={`${w.name} ${w.description ?? ""} ${w.bindings.map((b) => b.envName).join(" ")}`} className="overflow-hidden">
              <div className="flex flex-wrap items-start justify-between gap-3 border-b border-zinc-100 px-5 py-3.5">
                <div className="min-w-0">
                  <h2 className="flex items-center gap-2 font-mono text-sm font-semibold text-zinc-900">
                    {w.name} <Badge>{w.kind}</Badge>
                  </h2>
                  {w.description && <p className="mt-0.5 text-sm text-zinc-500">{w.description}</p>}
                </div>
                {canWrite && (
                  <WorkloadActions
                    workspaceId={workspace.id}
                    secrets={secrets}
                    allowedEnvNames={workspace.allowedEnvNames}
                    workload={{ id: w.id, name: w.name, kind: w.kind, description: w.description, bindings: w.bindings, tokens: w.tokens.filter((t) => t.status === "active").length }}
                  />
                )}
              </div>
              <div className="grid gap-4 px-5 py-3.5 md:grid-cols-[2fr_1fr]">
                <div>
                  <h3 className="mb-1.5 text-xs font-medium uppercase tracking-wide text-zinc-500">Environment</h3>
                  {w.bindings.length === 0 ? (
                    <p className="text-sm text-zinc-500">No variables.</p>
                  ) : (
                    <ul className="space-y-1 text-sm" aria-label={`Environment of ${w.name}`}>
                      {w.bindings.map((b) => (
                        <li key={b.envName} className="flex min-w-0 items-center gap-2">
                          <code className="font-mono text-xs text-zinc-900">{b.envName}</code>
                          <span className="text-zinc-400">=</span>
                          {b.secret ? (
                            <span className="inline-flex items-center gap-1 text-zinc-700">
                              <LockKeyhole className="size-3.5" aria-hidden /> {b.secret.name === null ? "another member's private secret" : `secret ${b.secret.name}`}
                              {b.secret.formerMember && (
                                <span className="ml-1 rounded bg-red-50 px-1.5 py-0.5 text-xs font-medium text-red-700 ring-1 ring-red-200" title="Its creator has left the workspace or was disabled: the workload gets no environment until another secret is bound to this variable">
                                  former member&apos;s private secret: rebind
                                </span>
                              )}
                            </span>
                          ) : (
                            <code className="truncate font-mono text-xs text-zinc-600">{b.value}</code>
                          )}
                        </li>
                      ))}
                    </ul>
                  )}
                </div>
                <div>
                  <h3 className="mb-1.5 text-xs font-medium uppercase tracking-wide text-zinc-500">Tokens</h3>
                  {w.tokens.length === 0 ? (
                    <p className="text-sm text-zinc-500">
                      None. <Link href={`/w/${workspace.id}/tokens`} className="font-medium text-brand-600 hover:text-brand-700">Create a workload token</Link>
                    </p>
                  ) : (
                    <ul className="space-y-1 text-sm">
                      {w.tokens.map((t) => (
                        <li key={t.id} className="flex items-center gap-2 text-zinc-700">
                          <KeyRound className="size-3.5" aria-hidden /> {t.name} <code className="font-mono text-xs text-zinc-500">{t.partialKey}</code>
                          {t.status !== "active" ? <Badge tone="red">{t.status}</Badge> : <span className="text-xs text-zinc-500">until {formatUtc(t.expiresAt).slice(0, 10)}</span>}
                        </li>
                      ))}
                    </ul>
                  )}
                </div>
              </div>
              <RunHint origin={origin} workspaceId={workspace.id} workload={w} />
            </Card>
          ))}
          </div>
          </ListSearch>
        </div>
      )}
    </>
  );
}

/** The CLI's one-line install from this server. */
function GetCli({ origin }: { origin: string }) {
  return (
    <Card className="px-5 py-3.5">
      <h2 className="text-sm font-semibold text-zinc-900">
        Get the CLI
      </h2>
      <p className="mt-0.5 text-sm text-zinc-500">
        One file from this server; it needs Node.js 20.19 or newer, and <code className="font-mono text-xs">~/.local/bin</code> on your <code className="font-mono text-xs">PATH</code>.
      </p>
      <InstallCli fallbackOrigin={origin} className="mt-2" />
    </Card>
  );
}

/** How the workload gets its environment: the `tessera run` command for this server, workspace and workload. */
function RunHint({ origin, workspaceId, workload }: { origin: string; workspaceId: string; workload: { id: string; name: string } }) {
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
