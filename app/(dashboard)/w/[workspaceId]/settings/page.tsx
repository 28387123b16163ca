import { CopyButton } from "@/app/_components/copy-button";
import { Badge, Card, CardBody, CardHeader, PageHeader, STATUS_TONE } from "@/app/_components/ui";
import { roleCan, type Permission } from "@/lib/auth/permissions";
import { config } from "@/lib/config";
import { membersWithoutSecondFactor } from "@/lib/services/workspaces";
import { pageWorkspace } from "../../../data";
import { DeleteWorkspace, MfaPolicyForm, RenameForm, SsoForm, TokenPolicyForm, WorkloadEnvPolicyForm } from "./forms";

export const metadata = { title: "General · Tessera" };

// Settings > General: name, workspace ID (with copy), SSO binding, and deletion.
export default async function GeneralSettings({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { actor, workspace } = await pageWorkspace(params);
  // What to offer comes from the same permission table the services enforce.
  const can = (p: Permission) => workspace.role !== null && roleCan(workspace.role, p);
  const canEdit = can("workspace.update");
  const withoutFactor = canEdit ? (await membersWithoutSecondFactor(actor, workspace.id)).length : null;
  return (
    <>
      <PageHeader title="General" description="The workspace's name, ID and sign-in settings." />
      <div className="space-y-6">
        <Card>
          <CardHeader title="Workspace name" description="Shown to members in the workspace switcher." />
          <CardBody>
            <RenameForm workspaceId={workspace.id} name={workspace.name} disabled={!canEdit} />
          </CardBody>
        </Card>

        <Card>
          <CardHeader title="Workspace ID" description="API calls and the CLI need this ID.">
            <Badge tone={STATUS_TONE[workspace.status]}>{workspace.status}</Badge>
          </CardHeader>
          <CardBody className="flex flex-wrap items-center gap-3">
            <code data-testid="workspace-id" className="rounded-md bg-zinc-100 px-2.5 py-1.5 font-mono text-sm text-zinc-800">
              {workspace.id}
            </code>
            <CopyButton value={workspace.id} label="Copy workspace ID" />
          </CardBody>
        </Card>

        <Card>
          <CardHeader
            title="Single sign-on"
            description={
              config().oidc
                ? "Claim your email domain so that colleagues who sign in with SSO join this workspace."
                : "SSO is not configured on this server (TESSERA_OIDC_ISSUER). Domain claims take effect once it is."
            }
          />
          <CardBody>
            <SsoForm workspaceId={workspace.id} sso={workspace.sso} disabled={!canEdit} />
          </CardBody>
        </Card>

        <Card>
          <CardHeader title="Two-factor authentication" description="Whether members who sign in with a password need an authenticator app as a second factor." />
          <CardBody>
            <MfaPolicyForm
              workspaceId={workspace.id}
              requireMfa={workspace.requireMfa}
              disabled={!canEdit}
              selfLocked={actor.authMethod === "password" && actor.hasMfa !== true}
              withoutFactor={withoutFactor}
            />
          </CardBody>
        </Card>

        <Card>
          <CardHeader title="API tokens" description="How long a token of this workspace lives when it is created without an expiry, and at most, when it is created or renewed." />
          <CardBody>
            <TokenPolicyForm
              workspaceId={workspace.id}
              maxTokenLifetimeDays={workspace.maxTokenLifetimeDays}
              defaultTokenExpiryDays={workspace.defaultTokenExpiryDays}
              disabled={!canEdit}
            />
          </CardBody>
        </Card>

        <Card>
          <CardHeader title="Workloads" description="Which code-loading environment variables workloads may set." />
          <CardBody>
            <WorkloadEnvPolicyForm workspaceId={workspace.id} allowedEnvNames={workspace.allowedEnvNames} disabled={!canEdit} />
          </CardBody>
        </Card>

        {can("workspace.delete") && (
          <Card className="border-red-200">
            <CardHeader title="Delete workspace" description="Deletes the workspace with its members, tokens and secrets. This cannot be undone." />
            <CardBody>
              <DeleteWorkspace workspaceId={workspace.id} name={workspace.name} />
            </CardBody>
          </Card>
        )}
      </div>
    </>
  );
}
