import { CircleAlert, Clock, Ban, CheckCircle2, MailWarning } from "lucide-react";
import Link from "next/link";
import { buttonClass } from "@/app/_components/ui";
import { getSessionActor } from "@/lib/auth/session";
import { previewInvitation } from "@/lib/services/invitations";
import { emailVerified, verifyFirstMessage } from "@/lib/services/verification";
import { AcceptButton } from "./accept";

export const dynamic = "force-dynamic";
export const metadata = { title: "Invitation · Tessera", referrer: "no-referrer" };

function Notice({ icon, title, children }: { icon: React.ReactNode; title: string; children: React.ReactNode }) {
  return (
    <div data-testid="invitation-notice">
      <div className="mb-3 text-zinc-500">{icon}</div>
      <h1 className="text-xl font-semibold text-zinc-900">{title}</h1>
      <div className="mt-2 space-y-3 text-sm text-zinc-600">{children}</div>
    </div>
  );
}

const home = (
  <Link href="/" className="inline-block font-medium text-brand-600 hover:text-brand-700">
    Go to your dashboard
  </Link>
);

// The invitation link: a clear page for every state (invalid, used, revoked, expired), sign-in
// first when needed, and the Accept button for the right signed-in user.
export default async function InvitePage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  const actor = await getSessionActor();
  const invite = await previewInvitation(decodeURIComponent(code), actor?.userId);
  if (invite.state === "invalid") {
    return (
      <Notice icon={<CircleAlert className="size-6" />} title="This invitation link is not valid">
        <p>Check that you copied the whole link, or ask the person who invited you for a new one.</p>
        {home}
      </Notice>
    );
  }
  if (invite.state === "accepted") {
    return (
      <Notice icon={<CheckCircle2 className="size-6" />} title="This invitation has already been used">
        <p>Each invitation link works once. If it was you, open {invite.workspaceName} from your dashboard; otherwise ask for a new invitation.</p>
        {home}
      </Notice>
    );
  }
  if (invite.state === "revoked") {
    return (
      <Notice icon={<Ban className="size-6" />} title="This invitation was revoked">
        <p>An admin of {invite.workspaceName} withdrew it or sent a newer link. Ask them for a new invitation.</p>
        {home}
      </Notice>
    );
  }
  if (invite.state === "expired") {
    return (
      <Notice icon={<Clock className="size-6" />} title="This invitation has expired">
        <p>
          It expired on {invite.expiresAt.toISOString().slice(0, 10)}. Ask {invite.invitedBy ?? "an admin of the workspace"} to re-issue it.
        </p>
        {home}
      </Notice>
    );
  }
  const here = `/invite/${code}`;
  const summary = (
    <p>
      {invite.invitedBy ?? "An admin"} invited {invite.email ?? "you"} to join <strong className="text-zinc-900">{invite.workspaceName}</strong> as{" "}
      <strong className="text-zinc-900">{invite.role}</strong>. The link expires on {invite.expiresAt.toISOString().slice(0, 16).replace("T", " ")} UTC.
    </p>
  );
  if (!actor) {
    return (
      <Notice icon={<CheckCircle2 className="size-6 text-brand-600" />} title={`Join ${invite.workspaceName}`}>
        {summary}
        <p>Sign in{invite.email ? ` as ${invite.email}` : ""} to accept.</p>
        <div className="flex flex-wrap gap-2 pt-2">
          <Link className={buttonClass("primary")} href={`/login?callbackUrl=${encodeURIComponent(here)}`}>
            Sign in to accept
          </Link>
          <Link className={buttonClass("secondary")} href={`/signup?callbackUrl=${encodeURIComponent(here)}`}>
            Create an account
          </Link>
        </div>
      </Notice>
    );
  }
  if (!invite.anyoneWithLink && invite.email !== actor.email.toLowerCase()) {
    return (
      <Notice icon={<CircleAlert className="size-6" />} title="This invitation is for someone else">
        <p>
          It was sent to <strong className="text-zinc-900">{invite.email}</strong>, but you are signed in as{" "}
          <strong className="text-zinc-900">{actor.email}</strong>. Sign out and sign in with that address to accept it.
        </p>
        {home}
      </Notice>
    );
  }
  if (invite.alreadyMember) {
    return (
      <Notice icon={<CheckCircle2 className="size-6" />} title={`You are already a member of ${invite.workspaceName}`}>
        <Link href={`/w/${invite.workspaceId}/settings`} className="inline-block font-medium text-brand-600 hover:text-brand-700">
          Open {invite.workspaceName}
        </Link>
      </Notice>
    );
  }
  if (!invite.anyoneWithLink && !(await emailVerified(actor.userId))) {
    // The service refuses it too (acceptInvitation): an invitation to an address needs that address verified.
    return (
      <Notice icon={<MailWarning className="size-6 text-amber-600" />} title="Verify your email address first">
        {summary}
        <p>{verifyFirstMessage(actor.email)}</p>
        <Link href="/account" className={buttonClass("secondary")}>
          Open your account page
        </Link>
      </Notice>
    );
  }
  return (
    <Notice icon={<CheckCircle2 className="size-6 text-brand-600" />} title={`Join ${invite.workspaceName}`}>
      {summary}
      <p>You are signed in as {actor.email}.</p>
      <AcceptButton code={decodeURIComponent(code)} workspaceName={invite.workspaceName} />
    </Notice>
  );
}
