import { api } from "@/lib/contract";
import { bind } from "@/lib/http/route";
import { createToken, listTokens } from "@/lib/services/tokens";

export const dynamic = "force-dynamic";

export const GET = bind(api["tokens.list"], async ({ actor, params }) => ({ data: await listTokens(actor, params.workspaceId) }));

export const POST = bind(api["tokens.create"], ({ actor, params, body }) => createToken(actor, params.workspaceId, body));
