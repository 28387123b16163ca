import { ShieldAlert } from "lucide-react";
import { Shell } from "@/app/_components/shell";
import { EmptyState } from "@/app/_components/ui";
import { currentWorkspace, myWorkspaces, requireActor } from "../../data";

export default async function WorkspaceLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ workspaceId: string }>;
}) {
  const { workspaceId } = await params;
  const actor = await requireActor();
  const [load, workspaces] = await Promise.all([currentWorkspace(workspaceId), myWorkspaces()]);
  const user = { email: actor.email, isPlatformAdmin: actor.isPlatformAdmin };
  if (!load.ok) {
    return (
      <Shell user={user} workspaces={workspaces} current={null}>
        <EmptyState icon={<ShieldAlert className="size-5" />} title="Single sign-on required" description={load.message} />
      </Shell>
    );
  }
  return (
    <Shell user={user} workspaces={workspaces} current={load.workspace}>
      {children}
    </Shell>
  );
}
