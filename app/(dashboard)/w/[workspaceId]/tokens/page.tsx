import { KeyRound } from "lucide-react";
import { NotYet } from "@/app/_components/not-yet";
import { pageWorkspace } from "../../../data";

export const metadata = { title: "Tokens · Tessera" };

export default async function TokensPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  await pageWorkspace(params);
  return <NotYet title="Tokens" icon={KeyRound} description="API tokens let the CLI, SDKs and gateways call Tessera. Managing them here is not available yet; the REST API (/api/v1/workspaces/{id}/tokens) already creates, lists, renews, cancels and deletes them." />;
}
