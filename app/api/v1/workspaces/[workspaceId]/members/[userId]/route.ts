import { api } from "@/lib/contract";
import { bind } from "@/lib/http/route";
import { removeMember, updateMemberRole } from "@/lib/services/members";

export const dynamic = "force-dynamic";

export const PATCH = bind(api["members.updateRole"], ({ actor, params, body }) => updateMemberRole(actor, params.workspaceId, params.userId, body));

export const DELETE = bind(api["members.remove"], ({ actor, params }) => removeMember(actor, params.workspaceId, params.userId));
