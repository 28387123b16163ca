import { api } from "@/lib/contract";
import { bind } from "@/lib/http/route";
import { createSecret, listSecrets } from "@/lib/services/secrets";

export const dynamic = "force-dynamic";

export const GET = bind(api["secrets.list"], async ({ actor, params }) => ({ data: await listSecrets(actor, params.workspaceId) }));

export const POST = bind(api["secrets.create"], ({ actor, params, body }) => createSecret(actor, params.workspaceId, body));
