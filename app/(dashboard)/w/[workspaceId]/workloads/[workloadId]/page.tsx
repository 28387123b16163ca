import { ArrowLeft } from "lucide-react";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CopyButton } from "@/app/_components/copy-button";
import { Badge, Card, CardBody, CardHeader, PageHeader } from "@/app/_components/ui";
import { roleCan } from "@/lib/auth/permissions";
import { publicBaseUrl } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { idSchema } from "@/lib/schemas/common";
import { getWorkload } from "@/lib/services/workloads";
import { pageWorkspace } from "../../../../data";
import { CreateToken } from "../../tokens/create-token";
import { formatUtc } from "../../tokens/format";
import { EnvironmentList, RunHint, WorkloadTokenList } from "../parts";

export const metadata = { title: "Workload · Tessera" };

/** The workload, or 404 for an id that is malformed, unknown, or another workspace's. */
async function loadWorkload(actor: Parameters<typeof getWorkload>[0], workspaceId: string, workloadId: string) {
  if (!idSchema.safeParse(workloadId).success) notFound();
  try {
    return await getWorkload(actor, workspaceId, workloadId);
  } catch (err) {
    if (err instanceof AppError && err.code === "NOT_FOUND") notFound();
    throw err;
  }
}

// A workload's own page: its details, its environment (secrets by name only), and its token
// management: create a workload token bound to it, whose one-time reveal shows the run command.
export default async function WorkloadPage({ params }: { params: Promise<{ workspaceId: string; workloadId: string }> }) {
  const { actor, workspace } = await pageWorkspace(params);
  const { workloadId } = await params;
  const w = await loadWorkload(actor, workspace.id, workloadId);
  const canManageTokens = workspace.role !== null && roleCan(workspace.role, "token.manage");
  const active = workspace.status === "active";
  const origin = publicBaseUrl();
  const activeTokens = w.tokens.filter((t) => t.status === "active").length;

  return (
    <>
      <Link href={`/w/${workspace.id}/workloads`} className="mb-3 inline-flex items-center gap-1 text-sm font-medium text-zinc-600 hover:text-zinc-900">
        <ArrowLeft className="size-4" aria-hidden /> Workloads
      </Link>
      <PageHeader
        title={w.name}
        description={w.description ?? "No description."}
      />
      <div className="space-y-4">
        <Card>
          <CardHeader title="Details" />
          <CardBody>
            <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-2 lg:grid-cols-4">
              <Detail label="Kind">
                <Badge>{w.kind}</Badge>
              </Detail>
              <Detail label="Workload ID">
                <span className="inline-flex min-w-0 items-center gap-1">
                  <code className="min-w-0 break-all font-mono text-xs text-zinc-800">{w.id}</code>
                  <CopyButton value={w.id} label={`Copy the ID of ${w.name}`} />
                </span>
              </Detail>
              <Detail label="Created">
                <time dateTime={new Date(w.createdAt).toISOString()}>{formatUtc(w.createdAt)}</time>
              </Detail>
              <Detail label="Last changed">
                <time dateTime={new Date(w.updatedAt).toISOString()}>{formatUtc(w.updatedAt)}</time>
              </Detail>
            </dl>
          </CardBody>
        </Card>

        <Card>
          <CardHeader title="Environment" description="What a workload token of this workload fetches at run time: literal values, and secrets (by name: people never see their values)." />
          <CardBody>
            <EnvironmentList workload={w} />
          </CardBody>
        </Card>

        <Card className="overflow-hidden" data-testid="token-management">
          <CardHeader
            title="Token management"
            description={`Workload tokens bound to ${w.name}: ${activeTokens} active. Renew, reassign or cancel them on the Tokens page.`}
          >
            {canManageTokens &&
              (active ? (
                <CreateToken
                  workspaceId={workspace.id}
                  kinds={[{ kind: "workload" }]}
                  maxDays={workspace.maxTokenLifetimeDays}
                  defaultDays={workspace.defaultTokenExpiryDays}
                  workloads={[]}
                  roles={[]}
                  forWorkload={{ id: w.id, name: w.name }}
                />
              ) : (
                <p className="text-sm text-zinc-500">Workload tokens are available once the workspace is active.</p>
              ))}
          </CardHeader>
          <CardBody>
            <WorkloadTokenList
              workspaceId={workspace.id}
              tokens={w.tokens}
              empty={canManageTokens ? "None yet: create one here, and its reveal shows the command that runs the workload." : "None yet. An admin of this workspace creates workload tokens."}
            />
            <p className="mt-3 text-sm">
              <Link href={`/w/${workspace.id}/tokens`} className="font-medium text-brand-600 hover:text-brand-700">
                All tokens
              </Link>
            </p>
          </CardBody>
          <RunHint origin={origin} workspaceId={workspace.id} workload={w} />
        </Card>
      </div>
    </>
  );
}

function Detail({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-zinc-500">{label}</dt>
      <dd className="mt-0.5 min-w-0 text-zinc-800">{children}</dd>
    </div>
  );
}
