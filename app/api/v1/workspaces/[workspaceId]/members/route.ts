import { api } from "@/lib/contract";
import { bind } from "@/lib/http/route";
import { listMembers } from "@/lib/services/members";

export const dynamic = "force-dynamic";

export const GET = bind(api["members.list"], async ({ actor, params }) => ({ data: await listMembers(actor, params.workspaceId) }));
