"use server";

import { defineAction } from "@/lib/http/action";
import { workspaceSchema } from "@/lib/schemas/workspace";
import { renameWorkspaceSchema } from "@/lib/schemas/workspace";
import { renameWorkspace } from "@/lib/services/workspaces";
import { idSchema } from "@/lib/schemas/common";

// Rename a workspace from Settings > General.
export const renameWorkspaceAction = defineAction({
  input: renameWorkspaceSchema.extend({ workspaceId: idSchema }),
  output: workspaceSchema,
  handler: (actor, { workspaceId, ...input }) => renameWorkspace(actor, workspaceId, input),
});
