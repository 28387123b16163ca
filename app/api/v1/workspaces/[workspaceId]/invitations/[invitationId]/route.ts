import { route } from "@/lib/http/route";
import { invitationParamsSchema, invitationSchema } from "@/lib/schemas/member";
import { revokeInvitation } from "@/lib/services/invitations";

export const dynamic = "force-dynamic";

// DELETE /api/v1/workspaces/{workspaceId}/invitations/{invitationId} – revoke a pending invitation
export const DELETE = route({
  params: invitationParamsSchema,
  output: invitationSchema,
  handler: ({ actor, params }) => revokeInvitation(actor, params.workspaceId, params.invitationId),
});
