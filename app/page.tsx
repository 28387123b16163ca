import { redirect } from "next/navigation";
import { getSessionActor } from "@/lib/auth/session";
import { listWorkspaces } from "@/lib/services/workspaces";

export const dynamic = "force-dynamic";

// The front door: the first workspace's Overview when signed in, the sign-in page otherwise.
export default async function Home() {
  const actor = await getSessionActor();
  if (!actor) redirect("/login");
  const [first] = await listWorkspaces(actor);
  redirect(first ? `/w/${first.id}` : "/new");
}
