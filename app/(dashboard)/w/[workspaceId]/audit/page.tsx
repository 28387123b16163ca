import { FileClock } from "lucide-react";
import { EmptyState, PageHeader } from "@/app/_components/ui";
import { pageWorkspace } from "../../../data";

export const metadata = { title: "Audit · Tessera" };

export default async function AuditPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  await pageWorkspace(params);
  return (
    <>
      <PageHeader title="Audit" />
      <EmptyState icon={<FileClock className="size-5" />} title="Nothing here yet" description="Every change in this workspace is recorded. The audit log viewer is not available in this version yet." />
    </>
  );
}
