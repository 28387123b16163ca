// Workloads. For now only the read the dashboard needs to pick a workload for a workload token;
// creating and editing workloads arrives with the workloads issue.
import type { Actor } from "../auth/actor";
import { authorize, inTransaction } from "./authorize";

export type WorkloadOption = { id: string; name: string };

/** The workspace's workloads as picker options: id and name only, by name. */
export async function listWorkloadOptions(actor: Actor, workspaceId: string): Promise<WorkloadOption[]> {
  return inTransaction(actor, async (tx) => {
    await authorize(tx, actor, workspaceId, "workload.read", {
      action: "workload.list",
      target: { type: "workspace", id: workspaceId },
    });
    return tx.workload.findMany({
      where: { workspaceId },
      select: { id: true, name: true },
      orderBy: { name: "asc" },
      take: 1000,
    });
  });
}
