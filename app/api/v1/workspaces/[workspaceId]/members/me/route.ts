import { api } from "@/lib/contract";
import { bind } from "@/lib/http/route";
import { leaveWorkspace } from "@/lib/services/members";

export const dynamic = "force-dynamic";

export const DELETE = bind(api["members.leave"], ({ actor, params }) => leaveWorkspace(actor, params.workspaceId));
