import { api } from "@/lib/contract";
import { bind } from "@/lib/http/route";
import { reissueInvitation } from "@/lib/services/invitations";

export const dynamic = "force-dynamic";

export const POST = bind(api["invitations.reissue"], ({ actor, params, body }) => reissueInvitation(actor, params.workspaceId, params.invitationId, body));
