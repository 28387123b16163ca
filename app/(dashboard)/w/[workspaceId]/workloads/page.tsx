import { Server } from "lucide-react";
import { NotYet } from "@/app/_components/not-yet";
import { pageWorkspace } from "../../../data";

export const metadata = { title: "Workloads · Tessera" };

export default async function WorkloadsPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  await pageWorkspace(params);
  return <NotYet title="Workloads" icon={Server} description="Workloads are the endpoints, jobs and pods that receive secrets. Workload management is not available in this version yet." />;
}
