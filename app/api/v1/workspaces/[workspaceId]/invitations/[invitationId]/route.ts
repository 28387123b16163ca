import { api } from "@/lib/contract";
import { bind } from "@/lib/http/route";
import { revokeInvitation } from "@/lib/services/invitations";

export const dynamic = "force-dynamic";

export const DELETE = bind(api["invitations.revoke"], ({ actor, params }) => revokeInvitation(actor, params.workspaceId, params.invitationId));
