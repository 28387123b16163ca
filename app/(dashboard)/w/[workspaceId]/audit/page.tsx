import { FileClock } from "lucide-react";
import { NotYet } from "@/app/_components/not-yet";
import { pageWorkspace } from "../../../data";

export const metadata = { title: "Audit · Tessera" };

export default async function AuditPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  await pageWorkspace(params);
  return <NotYet title="Audit" icon={FileClock} description="Every change in this workspace is recorded. The audit log viewer is not available in this version yet." />;
}
