import { api } from "@/lib/contract";
import { bind } from "@/lib/http/route";
import { auditQueryOf } from "@/lib/schemas/audit";
import { exportAuditEvents } from "@/lib/services/audit";

export const dynamic = "force-dynamic";

// The contract has decoded the filters (dates); the service takes them in their query form and parses them with the same schema.
export const GET = bind(api["audit.export"], ({ actor, params, query }) => exportAuditEvents(actor, params.workspaceId, auditQueryOf(query)));
