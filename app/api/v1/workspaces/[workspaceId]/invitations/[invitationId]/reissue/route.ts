import { route } from "@/lib/http/route";
import { createdInvitationSchema, invitationParamsSchema, reissueInvitationSchema } from "@/lib/schemas/member";
import { reissueInvitation } from "@/lib/services/invitations";

export const dynamic = "force-dynamic";

// POST /api/v1/workspaces/{workspaceId}/invitations/{invitationId}/reissue – new link and expiry; the old link stops working
export const POST = route({
  params: invitationParamsSchema,
  body: reissueInvitationSchema,
  output: createdInvitationSchema,
  status: 201,
  handler: ({ actor, params, body }) => reissueInvitation(actor, params.workspaceId, params.invitationId, body),
});
