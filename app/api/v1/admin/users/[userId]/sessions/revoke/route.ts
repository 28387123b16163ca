import { api } from "@/lib/contract";
import { bind } from "@/lib/http/route";
import { revokeUserSessions } from "@/lib/services/sessions";

export const dynamic = "force-dynamic";

export const POST = bind(api["admin.revokeUserSessions"], ({ actor, params }) => revokeUserSessions(actor, params.userId));
