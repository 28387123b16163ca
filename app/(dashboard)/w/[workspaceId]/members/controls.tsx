"use client";

// Client controls of the Members and Invitations pages: the invite dialog with the one-time link
// reveal, the role picker, remove / leave / revoke with confirmations, and re-issue.
import { AlertTriangle, LogOut, RefreshCw, Trash2, UserPlus, X } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { CopyButton } from "@/app/_components/copy-button";
import { ConfirmDialog, FormDialog } from "@/app/_components/dialogs";
import { Button, FieldError, Input, Label, Select } from "@/app/_components/ui";
import type { Role } from "@/lib/auth/permissions";
import {
  inviteAction,
  leaveWorkspaceAction,
  reissueInvitationAction,
  removeMemberAction,
  revokeInvitationAction,
  updateMemberRoleAction,
} from "./actions";

type Delivery = "sent" | "logged" | "failed" | "none";
type Revealed = { link: string; email: string | null; delivery: Delivery };

const DELIVERY_TEXT: Record<Delivery, string> = {
  sent: "We emailed the link. You can also share it yourself:",
  logged: "Email is not configured on this server (TESSERA_SMTP_URL), so no mail was sent. Share this link with them:",
  failed: "The mail server refused the message. Share this link with them instead:",
  none: "Share this link with the people you want to invite:",
};

/** The one-time view of an invitation link: copy it now, it is not shown again. */
function LinkReveal({ revealed, onDone }: { revealed: Revealed; onDone: () => void }) {
  return (
    <div>
      <p className="text-sm text-zinc-700">{DELIVERY_TEXT[revealed.delivery]}</p>
      <div className="mt-3 flex items-center gap-2 rounded-md border border-zinc-200 bg-zinc-50 p-2">
        <code data-testid="invitation-link" className="min-w-0 flex-1 break-all font-mono text-xs text-zinc-900">
          {revealed.link}
        </code>
        <CopyButton value={revealed.link} label="Copy link" />
      </div>
      <p className="mt-3 flex items-start gap-2 text-sm text-amber-800">
        <AlertTriangle className="mt-0.5 size-4 shrink-0" aria-hidden />
        This link is shown once. It works once, for {revealed.email ?? "anyone signed in who has it"}, until it expires.
      </p>
      <div className="mt-5 flex justify-end">
        <Button onClick={onDone}>Done</Button>
      </div>
    </div>
  );
}

export function InviteButton({ workspaceId, roles }: { workspaceId: string; roles: Role[] }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [anyone, setAnyone] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [revealed, setRevealed] = useState<Revealed | null>(null);
  const change = (o: boolean) => {
    setOpen(o);
    if (!o) {
      // Closing forgets the link for good.
      setRevealed(null);
      setErrors({});
      setFormError(null);
      setAnyone(false);
    }
  };
  return (
    <FormDialog
      open={open}
      onOpenChange={change}
      trigger={
        <Button>
          <UserPlus className="size-4" aria-hidden /> Invite
        </Button>
      }
      title={revealed ? "Invitation created" : "Invite people"}
      description={revealed ? undefined : "They join with the role you choose once they accept the link."}
    >
      {revealed ? (
        <LinkReveal revealed={revealed} onDone={() => change(false)} />
      ) : (
        <form
          noValidate
          onSubmit={async (e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            setBusy(true);
            setErrors({});
            setFormError(null);
            const res = await inviteAction({
              workspaceId,
              invitation: {
                email: String(f.get("email") ?? ""),
                role: String(f.get("role")) as Role,
                anyoneWithLink: anyone,
                expiresInDays: Number(f.get("expiresInDays")),
              },
            });
            setBusy(false);
            if (!res.ok) {
              const fields: Record<string, string> = {};
              for (const d of res.error.details ?? []) fields[d.path.replace(/^invitation\./, "")] = d.message;
              setErrors(fields);
              if (!Object.keys(fields).length) setFormError(res.error.message);
              return;
            }
            setRevealed({ link: res.data.link, email: res.data.invitation.email, delivery: res.data.delivery });
            toast.success(res.data.invitation.email ? `Invitation for ${res.data.invitation.email} created` : "Invitation link created");
            router.refresh();
          }}
        >
          <div className="space-y-4">
            <div>
              <Label htmlFor="invite-email">Email{anyone ? " (optional)" : ""}</Label>
              <Input
                id="invite-email"
                name="email"
                type="email"
                autoComplete="off"
                placeholder="teammate@example.com"
                maxLength={254}
                aria-invalid={!!errors.email}
                aria-describedby={errors.email ? "invite-email-error" : undefined}
                autoFocus
              />
              <FieldError id="invite-email-error" message={errors.email ? `Email ${errors.email}` : null} />
            </div>
            <div className="grid gap-4 sm:grid-cols-2">
              <div>
                <Label htmlFor="invite-role">Role</Label>
                <Select id="invite-role" name="role" defaultValue={roles.includes("member") ? "member" : roles[0]}>
                  {roles.map((r) => (
                    <option key={r} value={r}>
                      {r}
                    </option>
                  ))}
                </Select>
                <FieldError message={errors.role ? `Role ${errors.role}` : null} />
              </div>
              <div>
                <Label htmlFor="invite-expiry">Link expires in</Label>
                <Select id="invite-expiry" name="expiresInDays" defaultValue="7">
                  {[1, 3, 7, 14, 30].map((d) => (
                    <option key={d} value={d}>
                      {d} day{d === 1 ? "" : "s"}
                    </option>
                  ))}
                </Select>
              </div>
            </div>
            <label className="flex items-start gap-2 text-sm text-zinc-700">
              <input type="checkbox" className="mt-0.5 size-4 rounded border-zinc-300" checked={anyone} onChange={(e) => setAnyone(e.target.checked)} />
              <span>
                <span className="font-medium text-zinc-900">Anyone with the link</span> may accept it (otherwise only the invited email can)
              </span>
            </label>
            <FieldError message={formError} />
          </div>
          <div className="mt-6 flex justify-end gap-2">
            <Button type="button" variant="secondary" onClick={() => change(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={busy}>
              {busy ? "Inviting…" : "Create invitation"}
            </Button>
          </div>
        </form>
      )}
    </FormDialog>
  );
}

export function RolePicker({ workspaceId, userId, label, role, roles }: { workspaceId: string; userId: string; label: string; role: Role; roles: Role[] }) {
  const router = useRouter();
  const [value, setValue] = useState<Role>(role);
  const [pending, setPending] = useState<Role | null>(null);
  return (
    <>
      <Select
        aria-label={`Role of ${label}`}
        className="w-28 py-1.5"
        value={value}
        onChange={(e) => setPending(e.target.value as Role)}
      >
        {roles.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </Select>
      {pending && (
        <ConfirmDialog
          defaultOpen
          danger={pending === "owner" || ROLE_ORDER.indexOf(pending) > ROLE_ORDER.indexOf(value)}
          trigger={<span hidden />}
          onOpenChange={(o) => !o && setPending(null)}
          title={`Make ${label} ${pending === "admin" || pending === "owner" ? "an" : "a"} ${pending}?`}
          description={
            pending === "owner"
              ? "Owners can do everything, including deleting the workspace and managing other owners."
              : `Their access changes at once, for the dashboard and for their user tokens.`
          }
          confirmLabel="Change role"
          onConfirm={async () => {
            const res = await updateMemberRoleAction({ workspaceId, userId, change: { role: pending } });
            if (!res.ok) {
              toast.error(res.error.message);
              return;
            }
            setValue(pending);
            toast.success(`${label} is now ${pending}`);
            router.refresh();
          }}
        />
      )}
    </>
  );
}

const ROLE_ORDER: Role[] = ["owner", "admin", "member", "viewer"];

export function RemoveMemberButton({ workspaceId, userId, label }: { workspaceId: string; userId: string; label: string }) {
  const router = useRouter();
  return (
    <ConfirmDialog
      trigger={
        <Button variant="ghost" className="px-2 text-red-700 hover:bg-red-50" aria-label={`Remove ${label}`} title="Remove">
          <Trash2 className="size-4" aria-hidden />
        </Button>
      }
      title={`Remove ${label}?`}
      description="They lose access at once, and their user tokens for this workspace are cancelled. Workspace tokens they created keep working."
      confirmLabel="Remove member"
      onConfirm={async () => {
        const res = await removeMemberAction({ workspaceId, userId });
        if (!res.ok) {
          toast.error(res.error.message);
          return;
        }
        toast.success(`${label} was removed${res.data.tokensCancelled ? `; ${res.data.tokensCancelled} token(s) cancelled` : ""}`);
        router.refresh();
      }}
    />
  );
}

export function LeaveButton({ workspaceId, workspaceName, disabled = false }: { workspaceId: string; workspaceName: string; disabled?: boolean }) {
  const router = useRouter();
  return (
    <ConfirmDialog
      trigger={
        <Button variant="secondary" disabled={disabled}>
          <LogOut className="size-4" aria-hidden /> Leave workspace
        </Button>
      }
      title={`Leave ${workspaceName}?`}
      description="You lose access at once and your user tokens here are cancelled. To come back you need a new invitation."
      confirmLabel="Leave"
      typeToConfirm={workspaceName}
      onConfirm={async () => {
        const res = await leaveWorkspaceAction({ workspaceId });
        if (!res.ok) {
          toast.error(res.error.message);
          return false;
        }
        toast.success(`You left ${workspaceName}`);
        router.push("/");
        router.refresh();
      }}
    />
  );
}

export function InvitationActions({ workspaceId, invitationId, label, pending }: { workspaceId: string; invitationId: string; label: string; pending: boolean }) {
  const router = useRouter();
  const [revealed, setRevealed] = useState<Revealed | null>(null);
  return (
    <div className="flex items-center gap-1">
      <ConfirmDialog
        danger={false}
        trigger={
          <Button variant="ghost" className="px-2" aria-label={`Re-issue invitation for ${label}`} title="Re-issue">
            <RefreshCw className="size-4" aria-hidden />
          </Button>
        }
        title={`Re-issue the invitation for ${label}?`}
        description="A new link is created with a new 7-day expiry. The old link stops working."
        confirmLabel="Re-issue"
        onConfirm={async () => {
          const res = await reissueInvitationAction({ workspaceId, invitationId, change: { expiresInDays: 7 } });
          if (!res.ok) {
            toast.error(res.error.message);
            return;
          }
          setRevealed({ link: res.data.link, email: res.data.invitation.email, delivery: res.data.delivery });
        }}
      />
      {pending && (
        <ConfirmDialog
          trigger={
            <Button variant="ghost" className="px-2 text-red-700 hover:bg-red-50" aria-label={`Revoke invitation for ${label}`} title="Revoke">
              <X className="size-4" aria-hidden />
            </Button>
          }
          title={`Revoke the invitation for ${label}?`}
          description="The link stops working at once. To invite them later, send a new invitation."
          confirmLabel="Revoke"
          onConfirm={async () => {
            const res = await revokeInvitationAction({ workspaceId, invitationId });
            if (!res.ok) {
              toast.error(res.error.message);
              return;
            }
            toast.success("Invitation revoked");
            router.refresh();
          }}
        />
      )}
      <FormDialog
        open={!!revealed}
        onOpenChange={(o) => {
          if (!o) {
            setRevealed(null);
            router.refresh();
          }
        }}
        trigger={<span hidden />}
        title="Invitation re-issued"
      >
        {revealed && (
          <LinkReveal
            revealed={revealed}
            onDone={() => {
              setRevealed(null);
              router.refresh();
            }}
          />
        )}
      </FormDialog>
    </div>
  );
}
