// Notification mail about workspace activation (issue 15), through the one mailer: platform admins
// hear that a request is waiting, and the requester hears the decision and its reason. Sent after
// the change has committed, in the background: a mail that fails (or is slow) never fails or slows
// the request, and is logged. Names, organisations, use cases and reasons are user input: every
// piece is text for composeMail, which escapes it in the HTML part.
import { actorUserId, type Actor } from "../auth/actor";
import { publicBaseUrl } from "../config";
import { db } from "../db/client";
import { log } from "../log";
import { composeMail, sendMail, type MailDelivery } from "../mail";
import { cleanText } from "./audit";

type Who = { email: string; name: string | null };

const quoted = (name: string) => `"${cleanText(name, 64)}"`;
const person = (u: Who) => (u.name ? `${cleanText(u.name, 64)} (${u.email})` : u.email);

/** Who asked, as the admins read it: the user, or the token and the user who made it. */
async function describeRequester(actor: Actor): Promise<string> {
  const userId = actorUserId(actor);
  const user = userId ? await db().user.findUnique({ where: { id: userId }, select: { email: true, name: true } }) : null;
  if (actor.type === "user") return user ? person(user) : actor.email;
  if (actor.type === "token") return user ? `An API token of ${person(user)}` : `A ${actor.kind} token of the workspace`;
  return "Tessera";
}

/** Mails every platform admin (not disabled) that this workspace asks to be activated. Returns each delivery. */
export async function mailActivationRequest(workspaceId: string, requester: Actor): Promise<MailDelivery[]> {
  const w = await db().workspace.findUnique({ where: { id: workspaceId }, select: { id: true, name: true, status: true, activationOrg: true, activationUseCase: true } });
  if (!w || w.status !== "requested") return [];
  const admins = await db().user.findMany({ where: { isPlatformAdmin: true, disabledAt: null }, select: { email: true }, orderBy: { createdAt: "asc" }, take: 100 });
  const who = await describeRequester(requester);
  const base = publicBaseUrl();
  return Promise.all(
    admins.map((a) =>
      sendMail(
        composeMail({
          to: a.email,
          subject: `Activation request: ${cleanText(w.name, 64)}`,
          paragraphs: [
            `${who} asked to activate the workspace ${quoted(w.name)} (${w.id}).`,
            `Organisation: ${w.activationOrg ?? "(none given)"}`,
            `Use case:\n${w.activationUseCase ?? "(none given)"}`,
          ],
          action: { label: "Review the request", url: `${base}/admin?status=requested` },
          footer: `You receive this because you are a platform admin of Tessera at ${base}.`,
        }),
      ),
    ),
  );
}

/**
 * Who hears the decision: the user who made the workspace's latest request (or the creator of the
 * token that made it), while they are an enabled member; otherwise its enabled owners.
 */
async function requesters(workspaceId: string): Promise<Who[]> {
  const request = await db().auditEvent.findFirst({
    where: { workspaceId, action: "workspace.activation.request", result: "success" },
    orderBy: { createdAt: "desc" },
    select: { actorType: true, actorId: true },
  });
  let userId: string | null = null;
  if (request?.actorType === "user") userId = request.actorId;
  else if (request?.actorType === "token" && request.actorId) {
    userId = (await db().token.findUnique({ where: { id: request.actorId }, select: { createdById: true } }))?.createdById ?? null;
  }
  if (userId) {
    const m = await db().membership.findUnique({
      where: { workspaceId_userId: { workspaceId, userId } },
      select: { user: { select: { email: true, name: true, disabledAt: true } } },
    });
    if (m && !m.user.disabledAt) return [m.user];
  }
  const owners = await db().membership.findMany({
    where: { workspaceId, role: "owner", user: { disabledAt: null } },
    select: { user: { select: { email: true, name: true } } },
    take: 20,
  });
  return owners.map((o) => o.user);
}

/** Mails the requester the decision on the workspace's request (its current state) and the reason. */
export async function mailActivationDecision(workspaceId: string): Promise<MailDelivery[]> {
  const w = await db().workspace.findUnique({ where: { id: workspaceId }, select: { id: true, name: true, status: true, rejectionReason: true } });
  if (!w || (w.status !== "active" && w.status !== "rejected")) return [];
  const base = publicBaseUrl();
  const link = { label: "Open the workspace", url: `${base}/w/${w.id}/settings` };
  const to = await requesters(w.id);
  return Promise.all(
    to.map((u) =>
      sendMail(
        w.status === "active"
          ? composeMail({
              to: u.email,
              subject: `Workspace ${cleanText(w.name, 64)} is active`,
              paragraphs: [
                `Your request to activate the workspace ${quoted(w.name)} was approved.`,
                "It can now create workspace and workload tokens and run workloads.",
              ],
              action: link,
            })
          : composeMail({
              to: u.email,
              subject: `Activation request for ${cleanText(w.name, 64)} was rejected`,
              paragraphs: [
                `Your request to activate the workspace ${quoted(w.name)} was rejected.`,
                `Reason: ${w.rejectionReason ?? "(none given)"}`,
                "You can change your answers and apply again from the workspace.",
              ],
              action: link,
            }),
      ),
    ),
  );
}

/** Runs a notification in the background; a failure is logged, never thrown. */
export function inBackground(what: string, send: () => Promise<unknown>): void {
  void send().catch((err: unknown) => log.warn({ err: (err as Error)?.message }, `${what} mail failed`));
}
