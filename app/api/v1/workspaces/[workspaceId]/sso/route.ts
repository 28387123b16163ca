import { api } from "@/lib/contract";
import { bind } from "@/lib/http/route";
import { updateSsoSettings } from "@/lib/services/workspaces";

export const dynamic = "force-dynamic";

export const PUT = bind(api["workspaces.updateSso"], ({ actor, params, body }) => updateSsoSettings(actor, params.workspaceId, body));
