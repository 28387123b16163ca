import { Shell } from "@/app/_components/shell";
import { Card, CardBody, PageHeader } from "@/app/_components/ui";
import { myWorkspaces, requireActor } from "../data";
import { CreateWorkspaceForm } from "./form";

export const metadata = { title: "New workspace · Tessera" };

export default async function NewWorkspacePage() {
  const actor = await requireActor();
  const workspaces = await myWorkspaces();
  return (
    <Shell user={{ email: actor.email, isPlatformAdmin: actor.isPlatformAdmin }} workspaces={workspaces} current={null}>
      <PageHeader title="Create a workspace" description="A workspace holds its own members, tokens, secrets and workloads." />
      <Card className="max-w-xl">
        <CardBody>
          <CreateWorkspaceForm />
        </CardBody>
      </Card>
    </Shell>
  );
}
