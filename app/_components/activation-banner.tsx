"use client";

import { AlertTriangle, Clock, XCircle } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { useRouter } from "next/navigation";
import { approveOwnWorkspaceAction, requestActivationAction } from "@/app/(dashboard)/actions";
import { roleCan } from "@/lib/auth/permissions";
import type { WorkspaceOutput } from "@/lib/schemas/workspace";
import { FormDialog } from "./dialogs";
import { Button, FieldError, Input, Label, Textarea } from "./ui";

export function ActivationBanner({ workspace, isPlatformAdmin = false }: { workspace: WorkspaceOutput; isPlatformAdmin?: boolean }) {
  const [open, setOpen] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const router = useRouter();
  const canApply =
    (workspace.status === "pending" || workspace.status === "rejected") &&
    workspace.role !== null &&
    roleCan(workspace.role, "workspace.activation.request");
  // A platform admin reviews requests anyway: in one click, the request and its approval (audited as both).
  const canSelfApprove = isPlatformAdmin && workspace.status !== "active" && workspace.role !== null && roleCan(workspace.role, "workspace.activation.request");

  const tone =
    workspace.status === "rejected"
      ? { box: "border-red-200 bg-red-50 text-red-900", icon: <XCircle className="size-5 text-red-600" aria-hidden /> }
      : workspace.status === "requested"
        ? { box: "border-brand-100 bg-brand-50 text-brand-700", icon: <Clock className="size-5" aria-hidden /> }
        : { box: "border-amber-200 bg-amber-50 text-amber-900", icon: <AlertTriangle className="size-5 text-amber-600" aria-hidden /> };
  const message =
    workspace.status === "requested"
      ? "Your request for access is waiting for review. You can set up members and settings meanwhile."
      : workspace.status === "rejected"
        ? `Access was not approved: ${workspace.activation.rejectionReason ?? "no reason given"}. You can apply again.`
        : "This workspace is not active yet. Until an admin approves it, it cannot create workspace or workload tokens, or workloads.";
  const adminNote = canSelfApprove ? " As a platform admin, you can approve it yourself." : "";

  return (
    <div role="status" data-testid="activation-banner" className={`flex flex-wrap items-center justify-between gap-3 border-b px-4 py-3 text-sm sm:px-6 ${tone.box}`}>
      <div className="flex items-start gap-2.5">
        {tone.icon}
        <p>
          {message}
          {adminNote}
        </p>
      </div>
      {canSelfApprove && (
        <Button
          variant="primary"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            const r = await approveOwnWorkspaceAction({ workspaceId: workspace.id });
            setBusy(false);
            if (!r.ok) {
              toast.error(r.error.message);
              return;
            }
            toast.success("Workspace approved: it is active now.");
            router.refresh();
          }}
        >
          {busy ? "Approving…" : "Approve now"}
        </Button>
      )}
      {canApply && !canSelfApprove && (
        <FormDialog
          open={open}
          onOpenChange={setOpen}
          title="Apply for access"
          description="Tell the platform team who you are and what you will run. They review requests and activate workspaces."
          trigger={<Button variant="secondary">Apply for access</Button>}
        >
          <form
            className="space-y-4"
            onSubmit={async (e) => {
              e.preventDefault();
              const fd = new FormData(e.currentTarget);
              setBusy(true);
              const r = await requestActivationAction({
                workspaceId: workspace.id,
                organisation: String(fd.get("organisation") ?? ""),
                useCase: String(fd.get("useCase") ?? ""),
              });
              setBusy(false);
              if (!r.ok) {
                setErrors(Object.fromEntries((r.error.details ?? []).map((d) => [d.path, d.message])));
                toast.error(r.error.message);
                return;
              }
              setOpen(false);
              toast.success("Request sent. We will review it shortly.");
              router.refresh();
            }}
          >
            <div>
              <Label htmlFor="organisation">Organisation</Label>
              <Input id="organisation" name="organisation" required maxLength={120} aria-invalid={!!errors.organisation} defaultValue={workspace.activation.organisation ?? ""} />
              <FieldError message={errors.organisation && `Organisation ${errors.organisation}`} />
            </div>
            <div>
              <Label htmlFor="useCase">Use case</Label>
              <Textarea id="useCase" name="useCase" required rows={4} maxLength={2000} aria-invalid={!!errors.useCase} defaultValue={workspace.activation.useCase ?? ""} placeholder="e.g. Fine-tuning and serving Llama models for our support team" />
              <FieldError message={errors.useCase && `Use case ${errors.useCase}`} />
            </div>
            <div className="flex justify-end gap-2">
              <Button type="button" variant="secondary" onClick={() => setOpen(false)}>
                Cancel
              </Button>
              <Button type="submit" disabled={busy}>
                {busy ? "Sending…" : "Send request"}
              </Button>
            </div>
          </form>
        </FormDialog>
      )}
    </div>
  );
}
