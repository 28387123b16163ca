import { Users } from "lucide-react";
import { Badge, Card, EmptyState, PageHeader } from "@/app/_components/ui";
import { listMembers } from "@/lib/services/members";
import { pageWorkspace } from "../../../data";

export const metadata = { title: "Members · Tessera" };

export default async function MembersPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { actor, workspace } = await pageWorkspace(params);
  const members = await listMembers(actor, workspace.id);
  return (
    <>
      <PageHeader title="Members" description="People with access to this workspace and their roles." />
      {members.length === 0 ? (
        <EmptyState icon={<Users className="size-5" />} title="No members" description="Invite people to work in this workspace." />
      ) : (
        <Card className="overflow-hidden">
          <ul className="divide-y divide-zinc-100">
            {members.map((m) => (
              <li key={m.userId} className="flex flex-wrap items-center justify-between gap-3 px-5 py-3.5">
                <div className="min-w-0">
                  <p className="truncate text-sm font-medium text-zinc-900">{m.name ?? m.email}</p>
                  <p className="truncate text-sm text-zinc-500">{m.email}</p>
                </div>
                <div className="flex items-center gap-3 text-sm text-zinc-500">
                  <span>Joined {m.joinedAt.toISOString().slice(0, 10)}</span>
                  <Badge tone={m.role === "owner" ? "blue" : "gray"}>{m.role}</Badge>
                </div>
              </li>
            ))}
          </ul>
        </Card>
      )}
      <p className="mt-4 text-sm text-zinc-500">Invitations and role changes are not available in this version yet.</p>
    </>
  );
}
