"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { markEmailVerifiedAction, reviewActivationAction, revokeUserSessionsAction, setUserDisabledAction } from "../actions";
import { ConfirmDialog, FormDialog } from "@/app/_components/dialogs";
import { Button, FieldError, Label, Textarea } from "@/app/_components/ui";

export function ReviewButtons({ workspaceId, name }: { workspaceId: string; name: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="flex shrink-0 gap-2">
      <Button
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          const r = await reviewActivationAction({ workspaceId, review: { decision: "approve" } });
          setBusy(false);
          if (!r.ok) return void toast.error(r.error.message);
          toast.success(`Approved ${name}`);
          router.refresh();
        }}
      >
        Approve
      </Button>
      <FormDialog
        open={open}
        onOpenChange={setOpen}
        title={`Reject ${name}?`}
        description="The workspace's admins see your reason and can apply again."
        trigger={<Button variant="secondary">Reject</Button>}
      >
        <form
          className="space-y-4"
          onSubmit={async (e) => {
            e.preventDefault();
            const reason = String(new FormData(e.currentTarget).get("reason") ?? "");
            const r = await reviewActivationAction({ workspaceId, review: { decision: "reject", reason } });
            if (!r.ok) return void setError(r.error.details?.[0] ? `Reason ${r.error.details[0].message}` : r.error.message);
            setOpen(false);
            toast.success(`Rejected ${name}`);
            router.refresh();
          }}
        >
          <div>
            <Label htmlFor={`reason-${workspaceId}`}>Reason</Label>
            <Textarea id={`reason-${workspaceId}`} name="reason" rows={3} required maxLength={500} />
            <FieldError message={error} />
          </div>
          <div className="flex justify-end gap-2">
            <Button type="button" variant="secondary" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" variant="danger">
              Reject
            </Button>
          </div>
        </form>
      </FormDialog>
    </div>
  );
}

export function UserToggle({ userId, email, disabled }: { userId: string; email: string; disabled: boolean }) {
  const router = useRouter();
  const run = async (next: boolean) => {
    const r = await setUserDisabledAction({ userId, disabled: next });
    if (!r.ok) {
      toast.error(r.error.message);
      return false;
    }
    toast.success(next ? `Disabled ${email}` : `Enabled ${email}`);
    router.refresh();
  };
  if (disabled) {
    return (
      <Button variant="secondary" onClick={() => run(false)}>
        Enable
      </Button>
    );
  }
  return (
    <ConfirmDialog
      trigger={<Button variant="secondary">Disable</Button>}
      title={`Disable ${email}?`}
      description="They are signed out everywhere on their next request and cannot sign in until you enable them again."
      confirmLabel="Disable user"
      onConfirm={() => run(true)}
    />
  );
}

/** Ends every session of a user (SES-08); they may sign in again (Disable keeps them out). */
export function EndUserSessions({ userId, email }: { userId: string; email: string }) {
  return (
    <ConfirmDialog
      trigger={<Button variant="secondary">End sessions</Button>}
      title={`End every session of ${email}?`}
      description="They are signed out on every device at their next request, and can sign in again. Their API tokens keep working."
      confirmLabel="End sessions"
      onConfirm={async () => {
        const r = await revokeUserSessionsAction({ userId });
        if (!r.ok) {
          toast.error(r.error.message);
          return false;
        }
        toast.success(`Ended ${r.data.sessions} session${r.data.sessions === 1 ? "" : "s"} of ${email}`);
      }}
    />
  );
}

/** Marks an address verified (platform admins; audited as user.email_verify with {by: "admin"}). */
export function MarkVerified({ userId, email }: { userId: string; email: string }) {
  const router = useRouter();
  return (
    <ConfirmDialog
      trigger={<Button variant="secondary">Mark verified</Button>}
      title={`Mark ${email} verified?`}
      description="Do this only when you know the address is theirs: a verified account can accept invitations sent to it. The change is audited."
      confirmLabel="Mark verified"
      danger={false}
      onConfirm={async () => {
        const r = await markEmailVerifiedAction({ userId });
        if (!r.ok) {
          toast.error(r.error.message);
          return false;
        }
        toast.success(`Marked ${email} verified`);
        router.refresh();
      }}
    />
  );
}
