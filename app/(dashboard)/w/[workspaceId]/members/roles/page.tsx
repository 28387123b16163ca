import { Check, Minus } from "lucide-react";
import { Card, PageHeader } from "@/app/_components/ui";
import { PERMISSION_NAMES, PERMISSIONS, ROLES, roleCan } from "@/lib/auth/permissions";
import { pageWorkspace } from "../../../../data";
import { MemberTabs } from "../tabs";

export const metadata = { title: "Roles and permissions · Tessera" };

// Rendered from the one permission table the services check, so the page and the rules agree.
export default async function RolesPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { workspace } = await pageWorkspace(params);
  return (
    <>
      <PageHeader title="Members" description="People with access to this workspace, and their roles." />
      <MemberTabs workspaceId={workspace.id} current="/roles" />
      <p className="mb-4 text-sm text-zinc-600">
        What each role may do. Only owners grant or remove the owner role, nobody grants a role above their own, and a workspace always keeps one
        owner. {workspace.role && <>Your role here is <strong>{workspace.role}</strong>.</>}
      </p>
      {/* On a phone the table scrolls sideways: the scroll box takes focus, so a keyboard can scroll it
          (axe "scrollable-region-focusable"), and is a named region. */}
      <Card className="overflow-x-auto focus-visible:outline-2 focus-visible:outline-brand-600" tabIndex={0} aria-label="Permissions by role">
        <table className="w-full min-w-[36rem] text-left text-sm" data-testid="permission-table">
          <caption className="sr-only">Permissions by role</caption>
          <thead className="border-b border-zinc-200 bg-zinc-50 text-xs uppercase tracking-wide text-zinc-500">
            <tr>
              <th scope="col" className="px-4 py-2.5 font-medium">Permission</th>
              {ROLES.map((r) => (
                <th key={r} scope="col" className={`px-3 py-2.5 text-center font-medium ${r === workspace.role ? "text-brand-700" : ""}`}>
                  {r}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {PERMISSION_NAMES.map((p) => (
              <tr key={p} data-permission={p}>
                <th scope="row" className="px-4 py-2.5 font-normal">
                  <code className="font-mono text-xs text-zinc-900">{p}</code>
                  <p className="text-xs text-zinc-500">{PERMISSIONS[p].description}</p>
                </th>
                {ROLES.map((r) => (
                  <td key={r} className="px-3 py-2.5 text-center" data-role={r} data-allowed={roleCan(r, p)}>
                    {roleCan(r, p) ? (
                      <Check className="mx-auto size-4 text-emerald-600" aria-label="allowed" />
                    ) : (
                      <Minus className="mx-auto size-4 text-zinc-300" aria-label="not allowed" />
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </>
  );
}
