import { api } from "@/lib/contract";
import { bind } from "@/lib/http/route";
import { updateMfaPolicy } from "@/lib/services/workspaces";

export const dynamic = "force-dynamic";

// PUT /api/v1/workspaces/{workspaceId}/mfa-policy – require a second factor of password members
export const PUT = bind(api["workspaces.setMfaPolicy"], ({ actor, params, body }) => updateMfaPolicy(actor, params.workspaceId, body));
