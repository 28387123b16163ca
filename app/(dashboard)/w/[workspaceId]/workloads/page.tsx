import { Server } from "lucide-react";
import Link from "next/link";
import { InstallCli } from "@/app/_components/cli";
import { ListSearch } from "@/app/_components/list-search";
import { Badge, Card, EmptyState, PageHeader } from "@/app/_components/ui";
import { WORKLOAD_KINDS } from "@/lib/schemas/secret";
import { roleCan } from "@/lib/auth/permissions";
import { publicBaseUrl } from "@/lib/config";
import { listSecrets } from "@/lib/services/secrets";
import { listWorkloads } from "@/lib/services/workloads";
import { pageWorkspace } from "../../../data";
import { CreateWorkload, WorkloadActions, type SecretChoice } from "./controls";
import { EnvironmentList, RunHint, WorkloadTokenList } from "./parts";

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
                    <Link href={`/w/${workspace.id}/workloads/${w.id}`} className="hover:text-brand-700 hover:underline">
                      {w.name}
                    </Link>{" "}
                    <Badge>{w.kind}</Badge>
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
              <div className="grid gap-4 px-5 py-3.5 md:grid-cols-[minmax(0,3fr)_minmax(18rem,2fr)]">
                <div className="min-w-0">
                  <h3 className="mb-1.5 text-xs font-medium uppercase tracking-wide text-zinc-500">Environment</h3>
                  <EnvironmentList workload={w} />
                </div>
                <div className="min-w-0">
                  <h3 className="mb-1.5 text-xs font-medium uppercase tracking-wide text-zinc-500">Tokens</h3>
                  <WorkloadTokenList workspaceId={workspace.id} tokens={w.tokens} />
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
