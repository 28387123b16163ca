"use server";

// Server actions of the Workloads page.
import { z } from "zod";
import { defineAction } from "@/lib/http/action";
import { idSchema } from "@/lib/schemas/common";
import { createWorkloadSchema, updateWorkloadSchema, workloadSchema } from "@/lib/schemas/secret";
import { createWorkload, deleteWorkload, updateWorkload } from "@/lib/services/workloads";

export const createWorkloadAction = defineAction({
  input: z.object({ workspaceId: idSchema, workload: createWorkloadSchema }),
  output: workloadSchema,
  handler: (actor, { workspaceId, workload }) => createWorkload(actor, workspaceId, workload),
});

export const updateWorkloadAction = defineAction({
  input: z.object({ workspaceId: idSchema, workloadId: idSchema, change: updateWorkloadSchema }),
  output: workloadSchema,
  handler: (actor, { workspaceId, workloadId, change }) => updateWorkload(actor, workspaceId, workloadId, change),
});

export const deleteWorkloadAction = defineAction({
  input: z.object({ workspaceId: idSchema, workloadId: idSchema }),
  output: z.object({ id: z.string(), tokensCancelled: z.number().int() }),
  handler: (actor, { workspaceId, workloadId }) => deleteWorkload(actor, workspaceId, workloadId),
});
