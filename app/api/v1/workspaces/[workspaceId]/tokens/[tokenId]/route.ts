import { api } from "@/lib/contract";
import { bind } from "@/lib/http/route";
import { deleteToken, getToken, updateToken } from "@/lib/services/tokens";

export const dynamic = "force-dynamic";

export const GET = bind(api["tokens.get"], ({ actor, params }) => getToken(actor, params.workspaceId, params.tokenId));

export const PATCH = bind(api["tokens.update"], ({ actor, params, body }) => updateToken(actor, params.workspaceId, params.tokenId, body));

export const DELETE = bind(api["tokens.delete"], ({ actor, params }) => deleteToken(actor, params.workspaceId, params.tokenId));
