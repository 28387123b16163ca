import { KeyRound } from "lucide-react";
import { ListSearch, type ListFilter } from "@/app/_components/list-search";
import { Badge, Card, EmptyState, PageHeader } from "@/app/_components/ui";
import { ROLE_RANK, ROLES, roleCan, type Permission } from "@/lib/auth/permissions";
import { listMembers } from "@/lib/services/members";
import { listTokens, tokenActionsFor } from "@/lib/services/tokens";
import { listWorkloadOptions } from "@/lib/services/workloads";
import { EXPIRES_SOON_RULE } from "@/lib/schemas/token";
import { pageWorkspace } from "../../../data";
import { CreateToken, type KindOption } from "./create-token";
import { formatUtc, relative } from "./format";
import { TokenActions } from "./token-actions";

export const metadata = { title: "Tokens · Tessera" };

const KIND_LABEL = { user: "user", workspace: "workspace", workload: "workload" } as const;
const TOKEN_FILTERS: ListFilter[] = [
  { param: "kind", attr: "data-kind", label: "Kind", options: Object.values(KIND_LABEL).map((k) => ({ value: k, label: k })) },
  { param: "state", attr: "data-state", label: "State", options: ["active", "expired", "cancelled"].map((s) => ({ value: s, label: s })) },
];

// Tokens: create (with the one-time reveal), and the list with status, badges and actions.
export default async function TokensPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { actor, workspace } = await pageWorkspace(params);
  // What to offer comes from the same permission table the services enforce.
  const can = (p: Permission) => workspace.role !== null && roleCan(workspace.role, p);
  const canCreate = can("token.create");
  const canManage = can("token.manage");
  const active = workspace.status === "active";

  const tokens = await listTokens(actor, workspace.id);
  const members = await listMembers(actor, workspace.id);
  const workloads = canManage ? await listWorkloadOptions(actor, workspace.id) : [];
  const people = new Map(members.map((m) => [m.userId, { label: m.name ?? m.email, email: m.email }]));
  const workloadNames = new Map(workloads.map((w) => [w.id, w.name]));

  const notActive = "Available once the workspace is active.";
  const kinds: KindOption[] = [
    ...(canCreate ? [{ kind: "user" as const }] : []),
    ...(canManage
      ? [
          { kind: "workspace" as const, ...(active ? {} : { unavailable: notActive }) },
          { kind: "workload" as const, ...(active ? {} : { unavailable: notActive }) },
        ]
      : []),
  ];
  const ownRank = workspace.role ? ROLE_RANK[workspace.role] : 0;
  const tokenRoles = [...ROLES].reverse().filter((r) => ROLE_RANK[r] <= ownRank);

  return (
    <>
      <PageHeader
        title="Tokens"
        description={
          canManage
            ? "API tokens for the CLI, SDKs and gateways: yours, and the workspace's service and workload tokens."
            : "Your API tokens for the CLI and SDKs in this workspace."
        }
        actions={
          kinds.length > 0 && (
            <CreateToken
              workspaceId={workspace.id}
              kinds={kinds}
              maxDays={workspace.maxTokenLifetimeDays}
              defaultDays={workspace.defaultTokenExpiryDays}
              workloads={workloads}
              roles={tokenRoles}
              // Only offered to platform admins (the session re-reads the flag); the service checks again.
              platformAdmin={actor.isPlatformAdmin}
            />
          )
        }
      />
      {tokens.length === 0 ? (
        <EmptyState
          icon={<KeyRound className="size-5" />}
          title="No tokens yet"
          description={
            canCreate
              ? `Create a token to call the API (Authorization: Bearer <token>) or sign in the CLI. It is shown once; tokens here live at most ${workspace.maxTokenLifetimeDays} days.`
              : "Viewers cannot create tokens. Ask an admin of this workspace for the member role."
          }
        />
      ) : (
        <ListSearch noun="tokens" rows="[data-testid=token-row]" filters={TOKEN_FILTERS}>
        <Card className="overflow-hidden">
          <ul className="divide-y divide-zinc-100" aria-label="Tokens">
            {tokens.map((t) => {
              const state = t.status === "cancelled" ? "cancelled" : t.expired ? "expired" : "active";
              // Offered from the token service's own rules, so the page and the checks agree.
              const actions = tokenActionsFor(actor, workspace.role, t);
              const person = t.createdById ? people.get(t.createdById) : undefined;
              const creator = person ?? { label: t.createdById ? "a former member" : "—", email: undefined };
              return (
                <li key={t.id} data-testid="token-row" data-token-id={t.id} data-kind={t.kind} data-state={state} data-search={`${t.name} ${t.description ?? ""} ${t.partialKey} ${creator.label}`} className="flex items-start gap-3 px-5 py-4">
                  <div className="mt-0.5 hidden rounded-md bg-zinc-100 p-2 text-zinc-500 sm:block">
                    <KeyRound className="size-4" aria-hidden />
                  </div>
                  <div className="min-w-0 flex-1">
                    <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
                      <p className="min-w-0 max-w-full truncate text-sm font-semibold text-zinc-900">{t.name}</p>
                      <Badge tone="blue">{KIND_LABEL[t.kind]}</Badge>
                      <Badge tone={state === "active" ? "green" : state === "cancelled" ? "red" : "gray"}>{state}</Badge>
                      {state === "active" && t.expiresSoon && (
                        <span title={`Expires soon: ${EXPIRES_SOON_RULE}.`} data-testid="token-expires-soon">
                          <Badge tone="amber">expires soon</Badge>
                        </span>
                      )}
                    </div>
                    {t.description && <p className="mt-0.5 break-words text-sm text-zinc-500">{t.description}</p>}
                    <div className="mt-2 space-y-1 text-sm">
                      <dl className="flex flex-wrap gap-x-6 gap-y-1">
                        <Item label="Key">
                          <code data-testid="token-partial" className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs text-zinc-800">
                            {t.partialKey}
                          </code>
                        </Item>
                        <Item label="Access">
                          {t.scopes.includes("full") ? "full" : "read-only"}
                          {t.scopes.includes("platform") && <span data-testid="token-platform"> + platform administration</span>}
                        </Item>
                        {t.kind === "workspace" && t.role && <Item label="Role">{t.role}</Item>}
                        {t.kind === "workload" && (
                          <Item label="Workload">{t.workloadId ? (workloadNames.get(t.workloadId) ?? "another workload") : "unassigned"}</Item>
                        )}
                      </dl>
                      <dl className="flex flex-wrap gap-x-6 gap-y-1">
                        <Item label={state === "expired" ? "Expired" : "Expires"}>
                          <time dateTime={new Date(t.expiresAt).toISOString()}>{formatUtc(t.expiresAt)}</time>{" "}
                          <span className="text-zinc-500">({relative(t.expiresAt)})</span>
                        </Item>
                        <Item label="Created by">
                          <span title={creator.email}>{creator.label}</span>
                        </Item>
                        <Item label="Last used">
                          {t.lastUsedAt ? (
                            <>
                              <time dateTime={new Date(t.lastUsedAt).toISOString()}>{formatUtc(t.lastUsedAt)}</time>
                              {t.lastUsedIp && <span className="text-zinc-500"> from {t.lastUsedIp}</span>}
                            </>
                          ) : (
                            "never"
                          )}
                        </Item>
                      </dl>
                    </div>
                  </div>
                  <TokenActions
                    workspaceId={workspace.id}
                    token={{ id: t.id, name: t.name, description: t.description, partialKey: t.partialKey, workloadId: t.workloadId }}
                    actions={actions}
                    maxDays={workspace.maxTokenLifetimeDays}
                    defaultDays={workspace.defaultTokenExpiryDays > 1 ? workspace.defaultTokenExpiryDays : 30}
                    workloads={workloads}
                  />
                </li>
              );
            })}
          </ul>
        </Card>
        </ListSearch>
      )}
    </>
  );
}

function Item({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="flex min-w-0 gap-1.5">
      <dt className="shrink-0 text-zinc-500">{label}</dt>
      <dd className="min-w-0 break-words text-zinc-800">{children}</dd>
    </div>
  );
}
