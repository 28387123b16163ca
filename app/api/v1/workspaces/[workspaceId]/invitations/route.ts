import { z } from "zod";
import { route } from "@/lib/http/route";
import { createdInvitationSchema, createInvitationSchema, invitationSchema, listInvitationsQuerySchema } from "@/lib/schemas/member";
import { workspaceParamsSchema } from "@/lib/schemas/workspace";
import { createInvitation, listInvitations } from "@/lib/services/invitations";

export const dynamic = "force-dynamic";

// GET /api/v1/workspaces/{workspaceId}/invitations?state=pending|accepted|revoked|expired|all – invitations (never links)
export const GET = route({
  params: workspaceParamsSchema,
  query: listInvitationsQuerySchema,
  output: z.object({ data: z.array(invitationSchema) }),
  handler: async ({ actor, params, query }) => ({ data: await listInvitations(actor, params.workspaceId, query) }),
});

// POST /api/v1/workspaces/{workspaceId}/invitations – invite; the link is in this response only
export const POST = route({
  params: workspaceParamsSchema,
  body: createInvitationSchema,
  output: createdInvitationSchema,
  status: 201,
  handler: ({ actor, params, body }) => createInvitation(actor, params.workspaceId, body),
});
