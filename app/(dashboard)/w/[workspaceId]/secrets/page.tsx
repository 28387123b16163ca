import { LockKeyhole } from "lucide-react";
import { ListSearch } from "@/app/_components/list-search";
import { Badge, Card, EmptyState, PageHeader } from "@/app/_components/ui";
import { actorUserId } from "@/lib/auth/actor";
import { roleCan } from "@/lib/auth/permissions";
import { PRESET_INFO } from "@/lib/secrets/presets";
import { listSecrets, secretActionsFor } from "@/lib/services/secrets";
import { pageWorkspace } from "../../../data";
import { formatUtc } from "../tokens/format";
import { CreateSecret, ImportSecrets, SecretActions } from "./controls";

export const metadata = { title: "Secrets · Tessera" };

const VISIBILITY_OPTIONS = [
  { value: "public", label: "Public" },
  { value: "private", label: "Private" },
];

// Secrets: names and metadata only. Values are write-only: create, replace, check, never read.
export default async function SecretsPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { actor, workspace } = await pageWorkspace(params);
  const role = workspace.role;
  const secrets = await listSecrets(actor, workspace.id);
  const canCreate = role !== null && roleCan(role, "secret.create");
  const canPublic = role !== null && roleCan(role, "secret.manage");
  const me = actorUserId(actor);
  return (
    <>
      <PageHeader
        title="Secrets"
        description="Write-only credentials, encrypted at rest, injected into workloads as environment variables. Private secrets are yours alone; public ones every member can use."
        actions={
          canCreate && (
            <div className="flex flex-wrap gap-2">
              <ImportSecrets workspaceId={workspace.id} canPublic={canPublic} />
              <CreateSecret workspaceId={workspace.id} canPublic={canPublic} />
            </div>
          )
        }
      />
      {secrets.length === 0 ? (
        <EmptyState
          icon={<LockKeyhole className="size-5" />}
          title="No secrets yet"
          description={canCreate ? "Add an API key, token, SSH public key or registry login. Its value is never shown again." : "Viewers cannot create secrets."}
        />
      ) : (
        <ListSearch noun="secrets" rows="[data-testid=secret-row]" filters={[{ param: "visibility", attr: "data-visibility", label: "Visibility", options: VISIBILITY_OPTIONS }]}>
        <Card className="overflow-hidden">
          <ul className="divide-y divide-zinc-100" aria-label="Secrets">
            {secrets.map((s) => (
              <li key={s.id} data-testid="secret-row" data-name={s.name} data-visibility={s.visibility} data-search={`${s.name} ${s.envName ?? ""} ${PRESET_INFO[s.preset].label}`} className="flex flex-wrap items-center justify-between gap-3 px-5 py-3.5">
                <div className="min-w-0">
                  <p className="flex flex-wrap items-center gap-2 text-sm font-medium text-zinc-900">
                    {s.name}
                    <Badge tone={s.visibility === "public" ? "blue" : "gray"}>{s.visibility}</Badge>
                    {s.orphaned && <Badge tone="amber">former member&apos;s</Badge>}
                    {s.expired && <Badge tone="red">expired</Badge>}
                    {s.expiresSoon && <Badge tone="amber">expires soon</Badge>}
                  </p>
                  <p className="mt-0.5 truncate text-sm text-zinc-500">
                    {PRESET_INFO[s.preset].label} · {s.envName ? <code className="font-mono text-xs">{s.envName}</code> : "no variable name"} · version {s.version}
                    {s.expiresAt && ` · expires ${formatUtc(s.expiresAt).slice(0, 10)}`}
                  </p>
                </div>
                <SecretActions
                  workspaceId={workspace.id}
                  secret={{ id: s.id, name: s.name, preset: s.preset, envName: s.envName, visibility: s.visibility, expiresAt: s.expiresAt?.toISOString() ?? null }}
                  actions={secretActionsFor(actor, role, s)}
                  canPublic={canPublic}
                  isCreator={s.createdById !== null && s.createdById === me}
                />
              </li>
            ))}
          </ul>
        </Card>
        </ListSearch>
      )}
    </>
  );
}
