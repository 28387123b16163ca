import { LockKeyhole } from "lucide-react";
import { NotYet } from "@/app/_components/not-yet";
import { pageWorkspace } from "../../../data";

export const metadata = { title: "Secrets · Tessera" };

export default async function SecretsPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  await pageWorkspace(params);
  return <NotYet title="Secrets" icon={LockKeyhole} description="Secrets are write-only credentials injected into workloads. Secret management is not available in this version yet." />;
}
