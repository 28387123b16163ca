import { api } from "@/lib/contract";
import { bind } from "@/lib/http/route";
import { createInvitation, listInvitations } from "@/lib/services/invitations";

export const dynamic = "force-dynamic";

export const GET = bind(api["invitations.list"], async ({ actor, params, query }) => ({ data: await listInvitations(actor, params.workspaceId, query) }));

export const POST = bind(api["invitations.create"], ({ actor, params, body }) => createInvitation(actor, params.workspaceId, body));
