import { KeyRound } from "lucide-react";
import { EmptyState, PageHeader } from "@/app/_components/ui";
import { pageWorkspace } from "../../../data";

export const metadata = { title: "Tokens · Tessera" };

export default async function TokensPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  await pageWorkspace(params);
  return (
    <>
      <PageHeader title="Tokens" />
      <EmptyState icon={<KeyRound className="size-5" />} title="Nothing here yet" description="API tokens let the CLI, SDKs and gateways call Tessera. Token management is not available in this version yet." />
    </>
  );
}
