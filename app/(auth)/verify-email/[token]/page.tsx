import { CheckCircle2, CircleAlert, Clock, MailCheck } from "lucide-react";
import Link from "next/link";
import { buttonClass } from "@/app/_components/ui";
import { getSessionActor } from "@/lib/auth/session";
import { previewVerification, VERIFY_LINK_TTL_TEXT } from "@/lib/services/verification";
import { ConfirmButton } from "./confirm";

export const dynamic = "force-dynamic";
// The link is a credential: never sent on as a Referer.
export const metadata = { title: "Verify your email · Tessera", referrer: "no-referrer" };

function Notice({ icon, title, children }: { icon: React.ReactNode; title: string; children: React.ReactNode }) {
  return (
    <div data-testid="verification-notice">
      <div className="mb-3 text-zinc-500">{icon}</div>
      <h1 className="text-xl font-semibold text-zinc-900">{title}</h1>
      <div className="mt-2 space-y-3 text-sm text-zinc-600">{children}</div>
    </div>
  );
}

const account = (
  <Link href="/account" className="inline-block font-medium text-brand-600 hover:text-brand-700">
    Go to your account page
  </Link>
);

function safeDecode(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return "";
  }
}

// The verification link: opening it changes nothing (mail scanners open links too); the signed-in
// owner of the account confirms with a button. A clear page for every other state.
export default async function VerifyEmailPage({ params }: { params: Promise<{ token: string }> }) {
  const { token: raw } = await params;
  const token = safeDecode(raw);
  const actor = await getSessionActor();
  const v = await previewVerification(token, actor?.userId);
  if (v.state === "invalid") {
    return (
      <Notice icon={<CircleAlert className="size-6" />} title="This verification link is not valid">
        <p>Check that you opened the whole link from the mail. You can send a new one from your account page.</p>
        {account}
      </Notice>
    );
  }
  if (v.state === "verified") {
    return (
      <Notice icon={<CheckCircle2 className="size-6 text-emerald-600" />} title="Your email address is verified">
        <p>
          <strong className="text-zinc-900">{v.email}</strong> is verified. You can accept invitations sent to it.
        </p>
        <Link href="/" className="inline-block font-medium text-brand-600 hover:text-brand-700">
          Go to your dashboard
        </Link>
      </Notice>
    );
  }
  if (v.state === "changed") {
    return (
      <Notice icon={<CircleAlert className="size-6" />} title="This link is for an old address">
        <p>It was sent to {v.email}, which is no longer the account&apos;s address. Open the newest link we sent, or send one from your account page.</p>
        {account}
      </Notice>
    );
  }
  if (v.state === "used") {
    return (
      <Notice icon={<CircleAlert className="size-6" />} title="This link has already been used">
        <p>Each verification link works once. Send a new one from your account page.</p>
        {account}
      </Notice>
    );
  }
  if (v.state === "expired") {
    return (
      <Notice icon={<Clock className="size-6" />} title="This link has expired">
        <p>Verification links work for {VERIFY_LINK_TTL_TEXT}. Send a new one from your account page.</p>
        {account}
      </Notice>
    );
  }
  const here = `/verify-email/${encodeURIComponent(token)}`;
  if (v.viewerIsOwner === null) {
    return (
      <Notice icon={<MailCheck className="size-6 text-brand-600" />} title="Verify your email address">
        <p>
          Sign in as <strong className="text-zinc-900">{v.email}</strong> to verify this address. If you did not create a Tessera account, ignore this
          link.
        </p>
        <Link className={buttonClass("primary", "w-full")} href={`/login?callbackUrl=${encodeURIComponent(here)}`}>
          Sign in to verify
        </Link>
      </Notice>
    );
  }
  if (!v.viewerIsOwner) {
    return (
      <Notice icon={<CircleAlert className="size-6" />} title="This link is for another account">
        <p>
          It verifies <strong className="text-zinc-900">{v.email}</strong>, but you are signed in as {actor!.email}. Sign out, then sign in as {v.email}{" "}
          and open the link again.
        </p>
      </Notice>
    );
  }
  return (
    <Notice icon={<MailCheck className="size-6 text-brand-600" />} title="Verify your email address">
      <p>
        Confirm that <strong className="text-zinc-900">{v.email}</strong> is your address. The link expires on{" "}
        {v.expiresAt.toISOString().slice(0, 16).replace("T", " ")} UTC.
      </p>
      <ConfirmButton token={token} email={v.email} />
    </Notice>
  );
}
