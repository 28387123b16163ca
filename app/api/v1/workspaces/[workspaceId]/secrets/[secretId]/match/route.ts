import { api } from "@/lib/contract";
import { bind } from "@/lib/http/route";
import { matchSecret } from "@/lib/services/secrets";

export const dynamic = "force-dynamic";

export const POST = bind(api["secrets.match"], ({ actor, params, body }) => matchSecret(actor, params.workspaceId, params.secretId, body));
