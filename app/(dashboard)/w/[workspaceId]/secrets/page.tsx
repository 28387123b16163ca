import { LockKeyhole } from "lucide-react";
import { EmptyState, PageHeader } from "@/app/_components/ui";
import { pageWorkspace } from "../../../data";

export const metadata = { title: "Secrets · Tessera" };

export default async function SecretsPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  await pageWorkspace(params);
  return (
    <>
      <PageHeader title="Secrets" />
      <EmptyState icon={<LockKeyhole className="size-5" />} title="Nothing here yet" description="Secrets are write-only credentials injected into workloads. Secret management is not available in this version yet." />
    </>
  );
}
