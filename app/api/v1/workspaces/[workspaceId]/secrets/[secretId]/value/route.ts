import { api } from "@/lib/contract";
import { bind } from "@/lib/http/route";
import { replaceSecretValue } from "@/lib/services/secrets";

export const dynamic = "force-dynamic";

export const PUT = bind(api["secrets.replaceValue"], ({ actor, params, body }) => replaceSecretValue(actor, params.workspaceId, params.secretId, body));
