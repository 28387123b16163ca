// zod schemas of the workspace resource: input and output. Outputs are parsed before they
// leave a transport, so a field not listed here cannot reach a client.
import { z } from "zod";
import { ROLES } from "../auth/permissions";
import { displayNameSchema, idSchema, isoDate } from "./common";

export const WORKSPACE_STATUSES = ["pending", "requested", "active", "rejected"] as const;

export const workspaceParamsSchema = z.object({ workspaceId: idSchema });

export const createWorkspaceSchema = z.strictObject({ name: displayNameSchema });
export type CreateWorkspaceInput = z.infer<typeof createWorkspaceSchema>;

export const renameWorkspaceSchema = z.strictObject({ name: displayNameSchema });
export type RenameWorkspaceInput = z.infer<typeof renameWorkspaceSchema>;

export const workspaceSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(WORKSPACE_STATUSES),
  role: z.enum(ROLES).nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type WorkspaceOutput = z.input<typeof workspaceSchema>;
