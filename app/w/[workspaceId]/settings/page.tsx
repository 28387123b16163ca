import { notFound } from "next/navigation";
import { getSessionActor } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { idSchema } from "@/lib/schemas/common";
import { getWorkspace } from "@/lib/services/workspaces";
import { RenameForm } from "./rename-form";

export const dynamic = "force-dynamic";

// Settings > General: the workspace's name (renamable) and its ID.
export default async function GeneralSettings({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { workspaceId } = await params;
  if (!idSchema.safeParse(workspaceId).success) notFound();
  const actor = await getSessionActor();
  if (!actor) {
    return (
      <main>
        <h1>Sign in required</h1>
        <p className="lead">Your session has ended or you are not signed in.</p>
      </main>
    );
  }
  let workspace;
  try {
    workspace = await getWorkspace(actor, workspaceId);
  } catch (err) {
    if (err instanceof AppError && err.code === "NOT_FOUND") notFound();
    throw err;
  }
  const canRename = workspace.role === "owner" || workspace.role === "admin";
  return (
    <main>
      <h1>General</h1>
      <p className="lead">Settings of the {workspace.name} workspace.</p>
      <div className="card">
        <h2>Workspace name</h2>
        <RenameForm workspaceId={workspace.id} name={workspace.name} disabled={!canRename} />
      </div>
      <div className="card">
        <h2>Workspace ID</h2>
        <p className="muted">API calls and the CLI use this ID.</p>
        <code data-testid="workspace-id">{workspace.id}</code>
      </div>
    </main>
  );
}
