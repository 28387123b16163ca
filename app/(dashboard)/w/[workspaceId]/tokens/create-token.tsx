"use client";

// "Create token": the form dialog, then the one-time reveal of the value. The value lives only in
// this component's state while the reveal is open; closing it forgets the value for good.
import { AlertTriangle, Plus } from "lucide-react";
import { useRouter } from "next/navigation";
import { Dialog } from "radix-ui";
import { useState } from "react";
import { createTokenAction } from "@/app/(dashboard)/actions";
import { CommandBox, useOrigin } from "@/app/_components/cli";
import { installCommand, runCommand } from "@/app/_components/cli-commands";
import { CopyButton } from "@/app/_components/copy-button";
import { FormDialog } from "@/app/_components/dialogs";
import { useReauth } from "@/app/_components/reauth";
import { Button, FieldError, Input, Label, Select, Textarea, cn } from "@/app/_components/ui";
import type { Role } from "@/lib/auth/permissions";
import { ExpiryField, readExpiry } from "./expiry-field";
import { fieldErrors } from "./format";

export type TokenKind = "user" | "workspace" | "workload";
export type KindOption = { kind: TokenKind; unavailable?: string };
type Created = { value: string; name: string; kind: TokenKind; workloadId: string | null };

const KIND_TEXT: Record<TokenKind, { label: string; help: string }> = {
  user: { label: "User token", help: "Acts as you in this workspace, with at most your role." },
  workspace: { label: "Workspace token", help: "A service credential of the workspace (CI, automation); outlives any member." },
  workload: { label: "Workload token", help: "Bound to one workload, for code running there. Can be linked later." },
};

const FIELD_LABELS: Record<string, string> = {
  kind: "Kind",
  name: "Name",
  description: "Description",
  role: "Role",
  workloadId: "Workload",
  scopes: "Access",
};

export function CreateToken({
  workspaceId,
  kinds,
  maxDays,
  defaultDays = 1,
  workloads,
  roles,
  platformAdmin = false,
  forWorkload,
}: {
  workspaceId: string;
  kinds: KindOption[];
  maxDays: number;
  /** The expiry preselected: the workspace's default token expiry (its token policy). */
  defaultDays?: number;
  workloads: { id: string; name: string }[];
  /** Roles a workspace token may be given (none above the viewer's own). */
  roles: Role[];
  /** Whether the viewer is a platform admin: only they are offered the `platform` scope (user tokens). */
  platformAdmin?: boolean;
  /** A workload's own page: a workload token bound to this workload (pass `kinds` [workload]). */
  forWorkload?: { id: string; name: string };
}) {
  const router = useRouter();
  const reauth = useReauth();
  const [open, setOpen] = useState(false);
  const firstKind = kinds.find((k) => !k.unavailable)?.kind ?? "user";
  const [kind, setKind] = useState<TokenKind>(firstKind);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<Created | null>(null);

  const offerPlatform = platformAdmin && kind === "user";
  const err = (field: string) => (errors[field] ? `${FIELD_LABELS[field] ?? field} ${errors[field]}` : null);

  function reset(o: boolean) {
    setOpen(o);
    if (!o) {
      setKind(firstKind);
      setErrors({});
      setFormError(null);
    }
  }

  async function submit(form: HTMLFormElement) {
    const fd = new FormData(form);
    const expiry = readExpiry(fd, maxDays);
    if ("error" in expiry) {
      setErrors({ expiresAt: expiry.error });
      return;
    }
    const workloadId = String(fd.get("workloadId") ?? "");
    const description = String(fd.get("description") ?? "").trim();
    setBusy(true);
    const input = {
      workspaceId,
      token: {
        kind,
        name: String(fd.get("name") ?? ""),
        ...(description ? { description } : {}),
        ...expiry,
        scopes: [fd.get("scopes") === "read" ? "read" : "full", ...(offerPlatform && fd.get("platform") === "on" ? (["platform"] as const) : [])],
        ...(kind === "workspace" ? { role: String(fd.get("role") ?? "member") as Role } : {}),
        ...(kind === "workload" && (forWorkload?.id ?? workloadId) ? { workloadId: forWorkload?.id ?? workloadId } : {}),
      },
    };
    // An admin or owner token, or one with the platform scope, may ask "Confirm it's you" first.
    const r = await reauth.run(() => createTokenAction(input));
    setBusy(false);
    if (!r.ok) {
      const byField = fieldErrors(r.error.details);
      setErrors(byField);
      setFormError(Object.keys(byField).length ? null : r.error.message);
      return;
    }
    reset(false);
    setCreated({ value: r.data.value, name: r.data.name, kind: r.data.kind, workloadId: r.data.workloadId });
    router.refresh();
  }

  const trigger = (
    <Button>
      <Plus className="size-4" aria-hidden /> {forWorkload ? "Create workload token" : "Create token"}
    </Button>
  );

  return (
    <>
      <FormDialog
        open={open}
        onOpenChange={reset}
        trigger={trigger}
        title={forWorkload ? `Create a token for ${forWorkload.name}` : "Create token"}
        description={forWorkload ? "A workload token bound to this workload. The value is shown once, with the command that runs the workload." : "The value is shown once, right after you create it."}
      >
        <form
          noValidate
          className="space-y-5"
          onSubmit={async (e) => {
            e.preventDefault();
            await submit(e.currentTarget);
          }}
        >
          {kinds.length > 1 && (
            <fieldset>
              <legend className="mb-1.5 block text-sm font-medium text-zinc-800">Kind</legend>
              <div className="space-y-2">
                {kinds.map(({ kind: k, unavailable }) => (
                  <label
                    key={k}
                    className={cn(
                      "flex items-start gap-3 rounded-lg border px-3 py-2.5 text-sm",
                      unavailable ? "cursor-not-allowed border-zinc-200 bg-zinc-50 text-zinc-400" : "cursor-pointer",
                      !unavailable && (kind === k ? "border-brand-600 bg-brand-50/60" : "border-zinc-300 hover:bg-zinc-50"),
                    )}
                  >
                    <input
                      type="radio"
                      name="kind"
                      value={k}
                      checked={kind === k}
                      disabled={!!unavailable}
                      onChange={() => setKind(k)}
                      className="mt-0.5 size-4 shrink-0 accent-brand-600"
                    />
                    <span>
                      <span className={cn("block font-medium", unavailable ? "text-zinc-500" : "text-zinc-900")}>{KIND_TEXT[k].label}</span>
                      <span className="block text-zinc-500">{unavailable ?? KIND_TEXT[k].help}</span>
                    </span>
                  </label>
                ))}
              </div>
              <FieldError message={err("kind")} />
            </fieldset>
          )}

          <div>
            <Label htmlFor="token-name">Name</Label>
            <Input id="token-name" name="name" maxLength={64} autoComplete="off" placeholder="e.g. CI deploy" aria-invalid={!!errors.name} aria-describedby="token-name-error" />
            <FieldError id="token-name-error" message={err("name")} />
          </div>

          <div>
            <Label htmlFor="token-description">
              Description <span className="font-normal text-zinc-500">(optional)</span>
            </Label>
            <Textarea id="token-description" name="description" rows={2} maxLength={500} placeholder="What uses it, and who to ask about it" aria-invalid={!!errors.description} />
            <FieldError message={err("description")} />
          </div>

          {kind === "workspace" && (
            <div>
              <Label htmlFor="token-role">Acts with the role</Label>
              <Select id="token-role" name="role" defaultValue={roles.includes("member") ? "member" : roles[0]}>
                {roles.map((r) => (
                  <option key={r} value={r}>
                    {r[0]!.toUpperCase() + r.slice(1)}
                  </option>
                ))}
              </Select>
              <p className="mt-1.5 text-sm text-zinc-500">Never above your own role.</p>
              <FieldError message={err("role")} />
            </div>
          )}

          {kind === "workload" &&
            (forWorkload ? (
              <div>
                <p className="mb-1.5 text-sm font-medium text-zinc-800">Workload</p>
                <p className="rounded-md bg-zinc-50 px-3 py-2 font-mono text-sm text-zinc-800" data-testid="token-fixed-workload">
                  {forWorkload.name}
                </p>
              </div>
            ) : workloads.length > 0 ? (
              <div>
                <Label htmlFor="token-workload">
                  Workload <span className="font-normal text-zinc-500">(optional)</span>
                </Label>
                <Select id="token-workload" name="workloadId" defaultValue="">
                  <option value="">Unassigned (link it later)</option>
                  {workloads.map((w) => (
                    <option key={w.id} value={w.id}>
                      {w.name}
                    </option>
                  ))}
                </Select>
                <FieldError message={err("workloadId")} />
              </div>
            ) : (
              <div>
                <p className="mb-1.5 text-sm font-medium text-zinc-800">Workload</p>
                <p className="rounded-md bg-zinc-50 px-3 py-2 text-sm text-zinc-600">
                  This workspace has no workloads yet. The token is created unassigned; link it to a workload later with Reassign.
                </p>
              </div>
            ))}

          <ExpiryField idPrefix="create" maxDays={maxDays} defaultDays={defaultDays} error={errors.expiresAt} />

          <fieldset>
            <legend className="mb-1.5 block text-sm font-medium text-zinc-800">Access</legend>
            <div className="grid gap-2 sm:grid-cols-2">
              {(
                [
                  ["full", "Full", "Everything the role allows."],
                  ["read", "Read-only", "Reads only; every change is refused."],
                ] as const
              ).map(([value, label, help]) => (
                <label key={value} className="flex cursor-pointer items-start gap-3 rounded-lg border border-zinc-300 px-3 py-2.5 text-sm hover:bg-zinc-50 has-[:checked]:border-brand-600 has-[:checked]:bg-brand-50/60">
                  <input type="radio" name="scopes" value={value} defaultChecked={value === "full"} className="mt-0.5 size-4 shrink-0 accent-brand-600" />
                  <span>
                    <span className="block font-medium text-zinc-900">{label}</span>
                    <span className="block text-zinc-500">{help}</span>
                  </span>
                </label>
              ))}
            </div>
            {offerPlatform && (
              <label className="mt-2 flex cursor-pointer items-start gap-3 rounded-lg border border-zinc-300 px-3 py-2.5 text-sm hover:bg-zinc-50 has-[:checked]:border-brand-600 has-[:checked]:bg-brand-50/60">
                <input type="checkbox" name="platform" className="mt-0.5 size-4 shrink-0 accent-brand-600" />
                <span>
                  <span className="block font-medium text-zinc-900">Platform administration (admin API)</span>
                  <span className="block text-zinc-500">Lets this token call the admin API (activation requests, users) while you are a platform admin.</span>
                </span>
              </label>
            )}
            <FieldError message={err("scopes")} />
          </fieldset>

          <FieldError message={formError} />
          <div className="flex justify-end gap-2">
            <Button type="button" variant="secondary" onClick={() => reset(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={busy}>
              {busy ? "Creating…" : "Create token"}
            </Button>
          </div>
        </form>
      </FormDialog>
      {created && (
        <Reveal
          created={created}
          workspaceId={workspaceId}
          workload={forWorkload?.id === created.workloadId ? forWorkload.name : (workloads.find((w) => w.id === created.workloadId)?.name ?? null)}
          onClose={() => setCreated(null)}
        />
      )}
    </>
  );
}

/**
 * The one-time reveal. A click outside does not close it (the value would be gone); Escape and Done do.
 * A workload token comes with the command that runs its workload (the value filled in); the others
 * with a curl that calls the API.
 */
function Reveal({ created, workspaceId, workload, onClose }: { created: Created; workspaceId: string; workload: string | null; onClose: () => void }) {
  const origin = useOrigin("");
  const isWorkload = created.kind === "workload";
  const command = isWorkload
    ? runCommand({ origin, workspaceId, workload: workload ?? "<workload name>", token: created.value })
    : `curl -H "Authorization: Bearer ${created.value}" ${origin}/api/v1/workspaces/${workspaceId}`;
  return (
    <Dialog.Root defaultOpen onOpenChange={(o) => !o && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-zinc-900/40" />
        <Dialog.Content
          onInteractOutside={(e) => e.preventDefault()}
          className="fixed left-1/2 top-1/2 z-50 max-h-[90vh] w-[calc(100vw-2rem)] max-w-lg -translate-x-1/2 -translate-y-1/2 overflow-y-auto rounded-xl bg-white p-6 shadow-xl"
        >
          <Dialog.Title className="text-lg font-semibold text-zinc-900">Copy your new token</Dialog.Title>
          <Dialog.Description className="mt-1 text-sm text-zinc-600">
            <span className="font-medium text-zinc-800">{created.name}</span> is ready.
          </Dialog.Description>
          <div role="alert" className="mt-4 flex gap-2.5 rounded-lg border border-amber-200 bg-amber-50 px-3 py-2.5 text-sm text-amber-900">
            <AlertTriangle className="mt-0.5 size-4 shrink-0 text-amber-600" aria-hidden />
            <p>
              <strong>This is the only time the token is shown.</strong> Copy it now and keep it in a secret store. Tessera keeps only a hash: if you lose it, create a new token.
            </p>
          </div>
          <div className="mt-4">
            <p id="token-value-label" className="mb-1.5 text-sm font-medium text-zinc-800">
              Token
            </p>
            <div className="flex items-start gap-2">
              <code
                data-testid="token-value"
                aria-labelledby="token-value-label"
                className="min-w-0 flex-1 select-all break-all rounded-md border border-zinc-200 bg-zinc-50 px-3 py-2 font-mono text-xs leading-5 text-zinc-900"
              >
                {created.value}
              </code>
              <CopyButton value={created.value} label="Copy token" className="mt-1 shrink-0" />
            </div>
          </div>
          <div className="mt-4">
            <p className="mb-1.5 text-sm font-medium text-zinc-800">{isWorkload ? "Run the workload with it" : "Try it"}</p>
            {isWorkload && !workload && (
              <p className="mb-1.5 text-sm text-zinc-600">It is not linked to a workload yet: link it with Reassign in the list, and put the workload&apos;s name in the command.</p>
            )}
            <CommandBox command={command} label="Copy command" testId={isWorkload ? "token-run" : "token-curl"} />
            {isWorkload && (
              <>
                <p className="mt-3 mb-1.5 text-sm text-zinc-600">
                  No <code className="font-mono text-xs">tessera</code> yet? Install it from this server (Node.js 20.19 or newer):
                </p>
                <CommandBox command={installCommand(origin)} label="Copy the install command" testId="cli-install" />
              </>
            )}
          </div>
          <div className="mt-6 flex justify-end">
            <Dialog.Close asChild>
              <Button>Done</Button>
            </Dialog.Close>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
