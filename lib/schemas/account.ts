// zod schemas of the caller's own account (GET /api/v1/me, POST /api/v1/me/sign-out-everywhere).
// Outputs only: a token's value or hash never appears here.
import { z } from "zod";
import { ROLES, TOKEN_SCOPES } from "../auth/permissions";
import { isoDate } from "./common";
import { TOKEN_KINDS } from "./token";
import { WORKSPACE_STATUSES } from "./workspace";

export const meSchema = z
  .object({
    user: z
      .object({
        id: z.string().meta({ description: "The user's id." }),
        email: z.string().meta({ description: "The user's email address." }),
        name: z.string().nullable().meta({ description: "The user's display name, if they gave one." }),
        isPlatformAdmin: z.boolean().meta({ description: "Whether the user is a platform administrator now (read at this request)." }),
      })
      .nullable()
      .meta({ description: "The user a user token acts as (its creator); null for workspace and workload tokens, which act for no user." }),
    token: z
      .object({
        id: z.string().meta({ description: "The token's id (never its value)." }),
        kind: z.enum(TOKEN_KINDS).meta({ description: "`user` (acts as its creator), `workspace` (acts with its own role) or `workload` (reads its workload's environment)." }),
        name: z.string().meta({ description: "The token's name." }),
        scopes: z
          .array(z.enum(TOKEN_SCOPES))
          .meta({ description: "`full`, or `read` (read-only: every write answers 403); plus `platform` on a platform admin's token for the admin API (it grants nothing in the workspace)." }),
        role: z.enum(ROLES).nullable().meta({ description: "A workspace token's own role; null for user tokens (they use their creator's) and workload tokens." }),
        workloadId: z.string().nullable().meta({ description: "The workload a workload token is bound to; null otherwise." }),
        workloadName: z
          .string()
          .nullable()
          .meta({ description: "The name of the workload a workload token is bound to (so a client can match a name as well as an id); null otherwise." }),
        expiresAt: isoDate.meta({ description: "When the token stops working." }),
      })
      .meta({ description: "The token this request was made with." }),
    workspace: z
      .object({
        id: z.string().meta({ description: "The id of the token's workspace: a token acts only there." }),
        name: z.string().meta({ description: "The workspace's name." }),
        status: z.enum(WORKSPACE_STATUSES).meta({ description: "The workspace's activation state: workspace and workload tokens work only in an active workspace." }),
        role: z
          .enum(ROLES)
          .nullable()
          .meta({ description: "The role the token acts with there now: a user token its creator's current role, a workspace token its own; null for workload tokens." }),
      })
      .meta({ description: "The token's workspace." }),
  })
  .meta({ description: "Who the caller is." });
export type MeOutput = z.output<typeof meSchema>;

export const signedOutSchema = z
  .object({ sessions: z.number().int().meta({ description: "How many dashboard sessions were ended." }) })
  .meta({ description: "The sessions ended." });
