import { api } from "@/lib/contract";
import { bind } from "@/lib/http/route";
import { deleteSecret, getSecret, updateSecret } from "@/lib/services/secrets";

export const dynamic = "force-dynamic";

export const GET = bind(api["secrets.get"], ({ actor, params }) => getSecret(actor, params.workspaceId, params.secretId));

export const PATCH = bind(api["secrets.update"], ({ actor, params, body }) => updateSecret(actor, params.workspaceId, params.secretId, body));

export const DELETE = bind(api["secrets.delete"], ({ actor, params }) => deleteSecret(actor, params.workspaceId, params.secretId));
