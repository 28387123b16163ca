import { api } from "@/lib/contract";
import { bind } from "@/lib/http/route";
import { auditQueryOf } from "@/lib/schemas/audit";
import { listAuditEvents } from "@/lib/services/audit";

export const dynamic = "force-dynamic";

// The contract has decoded the filters (dates); the service takes them in their query form and parses them with the same schema.
export const GET = bind(api["audit.list"], ({ actor, params, query }) => listAuditEvents(actor, params.workspaceId, auditQueryOf(query)));
