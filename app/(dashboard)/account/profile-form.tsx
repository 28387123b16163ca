"use client";

import { useRouter } from "next/navigation";
import Link from "next/link";
import { useState } from "react";
import { toast } from "sonner";
import { FormDialog } from "@/app/_components/dialogs";
import { useReauth } from "@/app/_components/reauth";
import { Badge, Button, FieldError, Input, Label } from "@/app/_components/ui";
import { changeEmailAction, resendVerificationAction, updateNameAction } from "./profile-actions";

export type ProfileView = {
  name: string;
  email: string;
  verified: boolean;
  verifiedAt: string | null;
  sso: boolean;
  isPlatformAdmin: boolean;
  mailConfigured: boolean;
  /** When the newest link for the current address stops working (ISO), if one does. */
  pendingUntil: string | null;
  linkLifetime: string;
};

const utc = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;

export function ProfileForm({ profile }: { profile: ProfileView }) {
  return (
    <div className="divide-y divide-zinc-100">
      <NameRow name={profile.name} />
      <EmailRow profile={profile} />
    </div>
  );
}

function NameRow({ name }: { name: string }) {
  const router = useRouter();
  const [value, setValue] = useState(name);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="px-5 py-4"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        const r = await updateNameAction({ name: value });
        setBusy(false);
        if (!r.ok) return void setError(r.error.details?.[0] ? `Name ${r.error.details[0].message}` : r.error.message);
        setValue(r.data.name);
        toast.success("Name saved");
        router.refresh();
      }}
    >
      <Label htmlFor="profile-name">Name</Label>
      <div className="flex flex-col gap-2 sm:flex-row">
        <Input
          id="profile-name"
          name="name"
          autoComplete="name"
          required
          maxLength={64}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "profile-name-error" : undefined}
          className="sm:max-w-sm"
        />
        <Button type="submit" variant="secondary" disabled={busy || value.trim() === name}>
          {busy ? "Saving…" : "Save name"}
        </Button>
      </div>
      <FieldError id="profile-name-error" message={error} />
    </form>
  );
}

function EmailRow({ profile }: { profile: ProfileView }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  return (
    <div className="px-5 py-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="text-sm font-medium text-zinc-800">Email</p>
          <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-zinc-900">
            <span className="break-all" data-testid="profile-email">
              {profile.email}
            </span>
            <span data-testid="email-verification-badge">
              {profile.verified ? <Badge tone="green">Verified</Badge> : <Badge tone="amber">Not verified</Badge>}
            </span>
          </p>
        </div>
        {!profile.sso && <ChangeEmail current={profile.email} mailConfigured={profile.mailConfigured} />}
      </div>
      {profile.sso && <p className="mt-2 text-xs text-zinc-500">You sign in with single sign-on: your address comes from your identity provider. Change it there.</p>}
      {!profile.verified && (
        <div role="note" data-testid="verification-note" className="mt-3 space-y-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2.5 text-sm text-amber-900">
          {profile.mailConfigured ? (
            <>
              <p>
                {profile.pendingUntil
                  ? `We sent a verification link to ${profile.email}; it works until ${utc(profile.pendingUntil)}.`
                  : `Verify ${profile.email}: send yourself a link (it works for ${profile.linkLifetime}).`}{" "}
                Until you open it, you cannot accept invitations sent to this address.
              </p>
              <Button
                variant="secondary"
                disabled={busy}
                onClick={async () => {
                  setBusy(true);
                  const r = await resendVerificationAction({});
                  setBusy(false);
                  if (!r.ok) return void toast.error(r.error.message);
                  if (r.data.delivery === "failed") toast.error(`The mail to ${r.data.email} could not be sent. Try again later, or ask an admin.`);
                  else toast.success(`Sent a new link to ${r.data.email}`);
                  router.refresh();
                }}
              >
                {busy ? "Sending…" : "Resend verification mail"}
              </Button>
            </>
          ) : (
            <p>
              Mail is not configured on this server, so no verification link can be sent: a platform admin must mark your address verified.
              {profile.isPlatformAdmin && (
                <>
                  {" "}
                  As a platform admin, you can do it yourself on the{" "}
                  <Link href="/admin" className="font-medium underline underline-offset-2">
                    Admin page
                  </Link>
                  .
                </>
              )}
            </p>
          )}
        </div>
      )}
    </div>
  );
}

function ChangeEmail({ current, mailConfigured }: { current: string; mailConfigured: boolean }) {
  const router = useRouter();
  const reauth = useReauth();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <FormDialog
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (!o) setError(null);
      }}
      title="Change your email address"
      description={
        mailConfigured
          ? `You sign in with the new address at once. We send a verification link to it and a notice to ${current}; until you open the link, the new address is not verified.`
          : `You sign in with the new address at once. Mail is not configured on this server: a platform admin must mark the new address verified.`
      }
      trigger={<Button variant="secondary">Change email</Button>}
    >
      <form
        className="space-y-4"
        onSubmit={async (e) => {
          e.preventDefault();
          const email = String(new FormData(e.currentTarget).get("email") ?? "");
          setBusy(true);
          setError(null);
          const r = await reauth.run(() => changeEmailAction({ email }));
          setBusy(false);
          if (!r.ok) return void setError(r.error.details?.[0] ? `Email ${r.error.details[0].message}` : r.error.message);
          setOpen(false);
          toast.success(
            r.data.delivery === "sent"
              ? `Your address is now ${r.data.email}. We sent a verification link to it.`
              : r.data.delivery === "failed"
                ? `Your address is now ${r.data.email}, but the verification mail could not be sent: resend it from this page.`
                : `Your address is now ${r.data.email}.`,
          );
          router.refresh();
        }}
      >
        <div>
          <Label htmlFor="new-email">New email address</Label>
          <Input
            id="new-email"
            name="email"
            type="email"
            autoComplete="email"
            required
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "new-email-error" : undefined}
          />
          <FieldError id="new-email-error" message={error} />
        </div>
        <div className="flex justify-end gap-2">
          <Button type="button" variant="secondary" onClick={() => setOpen(false)}>
            Cancel
          </Button>
          <Button type="submit" disabled={busy}>
            {busy ? "Changing…" : "Change email"}
          </Button>
        </div>
      </form>
    </FormDialog>
  );
}
