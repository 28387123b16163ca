import { Server } from "lucide-react";
import { EmptyState, PageHeader } from "@/app/_components/ui";
import { pageWorkspace } from "../../../data";

export const metadata = { title: "Workloads · Tessera" };

export default async function WorkloadsPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  await pageWorkspace(params);
  return (
    <>
      <PageHeader title="Workloads" />
      <EmptyState icon={<Server className="size-5" />} title="Nothing here yet" description="Workloads are the endpoints, jobs and pods that receive secrets. Workload management is not available in this version yet." />
    </>
  );
}
