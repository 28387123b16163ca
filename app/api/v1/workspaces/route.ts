import { api } from "@/lib/contract";
import { bind } from "@/lib/http/route";
import { listWorkspaces } from "@/lib/services/workspaces";

export const dynamic = "force-dynamic";

export const GET = bind(api["workspaces.list"], async ({ actor }) => ({ data: await listWorkspaces(actor) }));
