// Per-request loaders for dashboard pages, deduplicated with React's cache().
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { getSessionActor } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { idSchema } from "@/lib/schemas/common";
import { signInPolicyRefusal } from "@/lib/services/authorize";
import { noteMemberActivity } from "@/lib/services/members";
import { countActivationRequests, getWorkspace, listWorkspaces } from "@/lib/services/workspaces";
import { log } from "@/lib/log";

export const currentActor = cache(getSessionActor);

/** The signed-in user, or a redirect to the sign-in page. */
export async function requireActor() {
  const actor = await currentActor();
  if (!actor) redirect("/login");
  return actor;
}

export const myWorkspaces = cache(async () => listWorkspaces(await requireActor()));

/** Platform admins: activation requests waiting for review (the Admin link's badge); null for everyone else. */
export const waitingRequests = cache(async (): Promise<number | null> => {
  const actor = await requireActor();
  if (!actor.isPlatformAdmin) return null;
  return countActivationRequests(actor).catch((err: unknown) => {
    if (err instanceof AppError && err.code === "FORBIDDEN") return null;
    throw err;
  });
});

export type WorkspaceLoad =
  | { ok: true; workspace: Awaited<ReturnType<typeof getWorkspace>> }
  | { ok: false; message: string; reason: "sso" | "mfa" | "other"; workspaceName: string | null };

/**
 * The workspace of the URL: 404 for ids the user cannot see, a message when SSO or a second
 * factor is required (a refusal means the user is a member: others get 404 first).
 */
export const currentWorkspace = cache(async (workspaceId: string): Promise<WorkspaceLoad> => {
  if (!idSchema.safeParse(workspaceId).success) notFound();
  const actor = await requireActor();
  try {
    const workspace = await getWorkspace(actor, workspaceId);
    // "Last activity" on the Members page; at most one write per member every few minutes.
    await noteMemberActivity(actor, workspaceId).catch((err: unknown) => log.warn({ err: String(err) }, "could not note member activity"));
    return { ok: true, workspace };
  } catch (err) {
    if (err instanceof AppError && err.code === "NOT_FOUND") notFound();
    if (err instanceof AppError && err.code === "FORBIDDEN") {
      // Which rule refused (the rule authorize.ts `check` applies), to say what to do about it.
      const ws = await db().workspace.findUnique({ where: { id: workspaceId }, select: { name: true, ssoRequired: true, requireMfa: true } });
      return { ok: false, message: err.message, reason: (ws && signInPolicyRefusal(actor, ws)) ?? "other", workspaceName: ws?.name ?? null };
    }
    throw err;
  }
});

/** For pages inside a workspace: the workspace (the layout already handled the failure cases). */
export async function pageWorkspace(params: Promise<{ workspaceId: string }>) {
  const { workspaceId } = await params;
  const load = await currentWorkspace(workspaceId);
  if (!load.ok) notFound();
  return { actor: await requireActor(), workspace: load.workspace };
}
