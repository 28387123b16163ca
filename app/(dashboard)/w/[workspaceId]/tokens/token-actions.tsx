"use client";

// Per-token actions: a menu (Radix: arrow keys, Enter, Escape) that opens the edit (name and
// description), renew, reassign, cancel and delete dialogs. The page passes only the actions the
// viewer may perform.
import { Ban, CalendarClock, Link2, MoreHorizontal, Pencil, Trash2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { DropdownMenu } from "radix-ui";
import { MenuContent } from "@/app/_components/menu-content";
import { useEffect, useRef, useState } from "react";
import { toast } from "sonner";
import { deleteTokenAction, updateTokenAction } from "@/app/(dashboard)/actions";
import { ConfirmDialog, FormDialog } from "@/app/_components/dialogs";
import { Button, FieldError, Input, Label, Select, Textarea, cn } from "@/app/_components/ui";
import { ExpiryField, readExpiry } from "./expiry-field";
import { fieldErrors } from "./format";

import type { TokenAction } from "@/lib/services/tokens";

type Row = { id: string; name: string; description?: string | null; partialKey: string; workloadId: string | null };

const ITEM = "flex cursor-pointer items-center gap-2 rounded-md px-2 py-2 text-sm outline-none data-[highlighted]:bg-zinc-100";

export function TokenActions({
  workspaceId,
  token,
  actions,
  maxDays,
  defaultDays = 30,
  workloads,
}: {
  workspaceId: string;
  token: Row;
  actions: TokenAction[];
  maxDays: number;
  /** The renewal preselected: the workspace's default expiry when it is longer than a day, else 30 days. */
  defaultDays?: number;
  workloads: { id: string; name: string }[];
}) {
  const [dialog, setDialog] = useState<TokenAction | null>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(false);
  // Dialogs opened from a menu have no trigger of their own: give focus back to the menu button.
  useEffect(() => {
    if (dialog) wasOpen.current = true;
    else if (wasOpen.current) {
      wasOpen.current = false;
      const t = setTimeout(() => trigger.current?.focus(), 0);
      return () => clearTimeout(t);
    }
  }, [dialog]);
  if (actions.length === 0) return null;
  const close = () => setDialog(null);
  const props = { workspaceId, token, onClose: close };
  return (
    <>
      <DropdownMenu.Root>
        <DropdownMenu.Trigger
          ref={trigger}
          aria-label={`Actions for ${token.name}`}
          title="Actions"
          className="rounded-md p-1.5 text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500/40 data-[state=open]:bg-zinc-100"
        >
          <MoreHorizontal className="size-5" aria-hidden />
        </DropdownMenu.Trigger>
        <DropdownMenu.Portal>
          <MenuContent align="end" sideOffset={4} className="z-50 w-48 rounded-lg border border-zinc-200 bg-white p-1 shadow-lg">
            {actions.includes("rename") && (
              <DropdownMenu.Item className={ITEM} onSelect={() => setDialog("rename")}>
                <Pencil className="size-4 text-zinc-500" aria-hidden /> Edit…
              </DropdownMenu.Item>
            )}
            {actions.includes("renew") && (
              <DropdownMenu.Item className={ITEM} onSelect={() => setDialog("renew")}>
                <CalendarClock className="size-4 text-zinc-500" aria-hidden /> Renew…
              </DropdownMenu.Item>
            )}
            {actions.includes("reassign") && (
              <DropdownMenu.Item className={ITEM} onSelect={() => setDialog("reassign")}>
                <Link2 className="size-4 text-zinc-500" aria-hidden /> Reassign…
              </DropdownMenu.Item>
            )}
            {actions.includes("cancel") && (
              <DropdownMenu.Item className={ITEM} onSelect={() => setDialog("cancel")}>
                <Ban className="size-4 text-zinc-500" aria-hidden /> Cancel token…
              </DropdownMenu.Item>
            )}
            {actions.includes("delete") && (
              <>
                {actions.length > 1 && <DropdownMenu.Separator className="my-1 h-px bg-zinc-200" />}
                <DropdownMenu.Item className={cn(ITEM, "text-red-700 data-[highlighted]:bg-red-50")} onSelect={() => setDialog("delete")}>
                  <Trash2 className="size-4" aria-hidden /> Delete…
                </DropdownMenu.Item>
              </>
            )}
          </MenuContent>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>
      {dialog === "rename" && <EditDialog {...props} />}
      {dialog === "renew" && <RenewDialog {...props} maxDays={maxDays} defaultDays={defaultDays} />}
      {dialog === "reassign" && <ReassignDialog {...props} workloads={workloads} />}
      {dialog === "cancel" && <CancelDialog {...props} />}
      {dialog === "delete" && <DeleteDialog {...props} />}
    </>
  );
}

type DialogProps = { workspaceId: string; token: Row; onClose: () => void };

/** A dialog that opens with its component and tells the menu when it closes. */
function useDialogOpen(onClose: () => void): [boolean, (open: boolean) => void] {
  const [open, setOpen] = useState(true);
  return [
    open,
    (o: boolean) => {
      setOpen(o);
      if (!o) onClose();
    },
  ];
}

/** Edit: a new name and description (the API's `rename` change; audited as token.rename). */
function EditDialog({ workspaceId, token, onClose }: DialogProps) {
  const router = useRouter();
  const [open, change] = useDialogOpen(onClose);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <FormDialog open={open} onOpenChange={change} trigger={<span hidden />} title={`Edit ${token.name}`} description="A new name and description. The value, expiry and access stay the same.">
      <form
        noValidate
        className="space-y-5"
        onSubmit={async (e) => {
          e.preventDefault();
          const fd = new FormData(e.currentTarget);
          setBusy(true);
          const r = await updateTokenAction({
            workspaceId,
            tokenId: token.id,
            change: { action: "rename", name: String(fd.get("name") ?? ""), description: String(fd.get("description") ?? "").trim() || null },
          });
          setBusy(false);
          if (!r.ok) {
            const byField = fieldErrors(r.error.details);
            setErrors(byField);
            setFormError(byField.name || byField.description ? null : r.error.message);
            return;
          }
          toast.success(`Saved ${r.data.name}`);
          change(false);
          router.refresh();
        }}
      >
        <div>
          <Label htmlFor="edit-token-name">Name</Label>
          <Input
            id="edit-token-name"
            name="name"
            maxLength={64}
            autoComplete="off"
            defaultValue={token.name}
            aria-invalid={!!errors.name}
            aria-describedby="edit-token-name-error"
          />
          <FieldError id="edit-token-name-error" message={errors.name && `Name ${errors.name}`} />
        </div>
        <div>
          <Label htmlFor="edit-token-description">
            Description <span className="font-normal text-zinc-500">(optional)</span>
          </Label>
          <Textarea
            id="edit-token-description"
            name="description"
            rows={3}
            maxLength={500}
            defaultValue={token.description ?? ""}
            placeholder="What uses it, and who to ask about it"
            aria-invalid={!!errors.description}
          />
          <FieldError message={errors.description && `Description ${errors.description}`} />
        </div>
        <FieldError message={formError} />
        <div className="flex justify-end gap-2">
          <Button type="button" variant="secondary" onClick={() => change(false)}>
            Cancel
          </Button>
          <Button type="submit" disabled={busy}>
            {busy ? "Saving…" : "Save"}
          </Button>
        </div>
      </form>
    </FormDialog>
  );
}

function RenewDialog({ workspaceId, token, onClose, maxDays, defaultDays }: DialogProps & { maxDays: number; defaultDays: number }) {
  const router = useRouter();
  const [open, change] = useDialogOpen(onClose);
  const [error, setError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <FormDialog open={open} onOpenChange={change} trigger={<span hidden />} title={`Renew ${token.name}`} description="Give the token a new expiry. Its value stays the same.">
      <form
        noValidate
        className="space-y-5"
        onSubmit={async (e) => {
          e.preventDefault();
          const expiry = readExpiry(new FormData(e.currentTarget), maxDays);
          if ("error" in expiry) return setError(expiry.error);
          setBusy(true);
          const r = await updateTokenAction({ workspaceId, tokenId: token.id, change: { action: "renew", ...expiry } });
          setBusy(false);
          if (!r.ok) {
            const byField = fieldErrors(r.error.details);
            setError(byField.expiresAt ?? null);
            setFormError(byField.expiresAt ? null : r.error.message);
            return;
          }
          toast.success(`Renewed ${token.name}`);
          change(false);
          router.refresh();
        }}
      >
        <ExpiryField idPrefix="renew" maxDays={maxDays} defaultDays={defaultDays} error={error} />
        <FieldError message={formError} />
        <div className="flex justify-end gap-2">
          <Button type="button" variant="secondary" onClick={() => change(false)}>
            Cancel
          </Button>
          <Button type="submit" disabled={busy}>
            {busy ? "Renewing…" : "Renew token"}
          </Button>
        </div>
      </form>
    </FormDialog>
  );
}

function ReassignDialog({ workspaceId, token, onClose, workloads }: DialogProps & { workloads: { id: string; name: string }[] }) {
  const router = useRouter();
  const [open, change] = useDialogOpen(onClose);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <FormDialog open={open} onOpenChange={change} trigger={<span hidden />} title={`Reassign ${token.name}`} description="Bind the token to another workload, or unassign it. It takes effect on the next request.">
      <form
        className="space-y-5"
        onSubmit={async (e) => {
          e.preventDefault();
          const workloadId = String(new FormData(e.currentTarget).get("workloadId") ?? "") || null;
          setBusy(true);
          const r = await updateTokenAction({ workspaceId, tokenId: token.id, change: { action: "reassign", workloadId } });
          setBusy(false);
          if (!r.ok) return setError(r.error.message);
          const to = workloads.find((w) => w.id === workloadId)?.name;
          toast.success(to ? `${token.name} is now bound to ${to}` : `${token.name} is now unassigned`);
          change(false);
          router.refresh();
        }}
      >
        <div>
          <Label htmlFor="reassign-workload">Workload</Label>
          <Select id="reassign-workload" name="workloadId" defaultValue={token.workloadId ?? ""}>
            <option value="">Unassigned</option>
            {workloads.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </Select>
          {workloads.length === 0 && <p className="mt-1.5 text-sm text-zinc-500">This workspace has no workloads yet.</p>}
          <FieldError message={error} />
        </div>
        <div className="flex justify-end gap-2">
          <Button type="button" variant="secondary" onClick={() => change(false)}>
            Cancel
          </Button>
          <Button type="submit" disabled={busy}>
            {busy ? "Saving…" : "Save"}
          </Button>
        </div>
      </form>
    </FormDialog>
  );
}

function CancelDialog({ workspaceId, token, onClose }: DialogProps) {
  const router = useRouter();
  return (
    <ConfirmDialog
      defaultOpen
      onOpenChange={(o) => !o && onClose()}
      trigger={<span hidden />}
      title="Cancel this token?"
      description={
        <>
          <strong className="break-all">{token.name}</strong> (<code className="font-mono text-xs">{token.partialKey}</code>) stops working at once: requests with it get
          401. A cancelled token cannot be renewed; it stays listed until you delete it.
        </>
      }
      confirmLabel="Cancel token"
      cancelLabel="Keep token"
      onConfirm={async () => {
        const r = await updateTokenAction({ workspaceId, tokenId: token.id, change: { action: "cancel" } });
        if (!r.ok) {
          toast.error(r.error.message);
          return false;
        }
        toast.success(`Cancelled ${token.name}`);
        router.refresh();
      }}
    />
  );
}

function DeleteDialog({ workspaceId, token, onClose }: DialogProps) {
  const router = useRouter();
  return (
    <ConfirmDialog
      defaultOpen
      onOpenChange={(o) => !o && onClose()}
      trigger={<span hidden />}
      title="Delete this token?"
      description={
        <>
          <strong className="break-all">{token.name}</strong> (<code className="font-mono text-xs">{token.partialKey}</code>) will be deleted. Anything still using it
          stops working at once. This cannot be undone.
        </>
      }
      confirmLabel="Delete token"
      cancelLabel="Keep token"
      onConfirm={async () => {
        const r = await deleteTokenAction({ workspaceId, tokenId: token.id });
        if (!r.ok) {
          toast.error(r.error.message);
          return false;
        }
        toast.success(`Deleted ${token.name}`);
        router.refresh();
      }}
    />
  );
}
