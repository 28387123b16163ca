import { api } from "@/lib/contract";
import { bind } from "@/lib/http/route";
import { setAuditRetention } from "@/lib/services/audit";

export const dynamic = "force-dynamic";

export const PUT = bind(api["audit.setRetention"], ({ actor, params, body }) => setAuditRetention(actor, params.workspaceId, body));
