import { api } from "@/lib/contract";
import { bind } from "@/lib/http/route";
import { importSecrets } from "@/lib/services/secrets";

export const dynamic = "force-dynamic";

export const POST = bind(api["secrets.import"], ({ actor, params, body }) => importSecrets(actor, params.workspaceId, body));
