"use client";

// Workloads page controls: create / edit (name, kind, description and the environment bindings:
// a literal value or a secret per variable) and delete with confirmation.
import { Pencil, Plus, Trash2, X } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { ConfirmDialog, FormDialog } from "@/app/_components/dialogs";
import { Button, FieldError, Input, Label, Select, Textarea } from "@/app/_components/ui";
import { isLoaderVariable } from "@/lib/secrets/loader-vars";
import { createWorkloadAction, deleteWorkloadAction, updateWorkloadAction } from "./actions";

export type SecretChoice = { id: string; name: string; visibility: "private" | "public"; envName: string | null };
type Binding = { envName: string; kind: "value" | "secret"; value: string; secretId: string };
export type WorkloadRow = {
  id: string;
  name: string;
  kind: "endpoint" | "job" | "pod";
  description: string | null;
  bindings: { envName: string; value: string | null; secret: { id: string; name: string | null; visibility: "private" | "public" } | null }[];
  tokens: number;
};

/** Variables of the workload that come from someone else's private secret (the actor's own private secrets are among `secrets`). */
function foreignPrivate(workload: WorkloadRow | undefined, secrets: SecretChoice[]): string[] {
  return (workload?.bindings ?? []).filter((b) => b.secret?.visibility === "private" && !secrets.some((s) => s.id === b.secret!.id)).map((b) => b.envName);
}

function WorkloadForm({
  workspaceId,
  secrets,
  allowedEnvNames,
  initial,
  onDone,
}: {
  workspaceId: string;
  secrets: SecretChoice[];
  allowedEnvNames: string[];
  initial?: WorkloadRow;
  onDone: () => void;
}) {
  const foreign = foreignPrivate(initial, secrets);
  const router = useRouter();
  const [rows, setRows] = useState<Binding[]>(
    initial?.bindings.map((b) => ({ envName: b.envName, kind: b.secret ? "secret" : "value", value: b.value ?? "", secretId: b.secret?.id ?? "" })) ?? [],
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // A secret bound before (perhaps someone else's private one) stays pickable for this workload.
  const choices = [...secrets, ...(initial?.bindings.flatMap((b) => (b.secret && !secrets.some((s) => s.id === b.secret!.id) ? [{ id: b.secret.id, name: b.secret.name ?? "another member's", visibility: "private" as const, envName: null }] : [])) ?? [])];
  const set = (i: number, patch: Partial<Binding>) => setRows((r) => r.map((b, j) => (j === i ? { ...b, ...patch } : b)));
  return (
    <form
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const bindings = rows.map((b) => (b.kind === "secret" ? { envName: b.envName.trim(), secretId: b.secretId } : { envName: b.envName.trim(), value: b.value }));
        const body = { name: String(f.get("name") ?? ""), kind: String(f.get("kind")) as WorkloadRow["kind"], description: String(f.get("description") ?? ""), bindings };
        setBusy(true);
        setErrors({});
        setFormError(null);
        const res = initial
          ? await updateWorkloadAction({ workspaceId, workloadId: initial.id, change: body })
          : await createWorkloadAction({ workspaceId, workload: body });
        setBusy(false);
        if (!res.ok) {
          const fields: Record<string, string> = {};
          for (const d of res.error.details ?? []) fields[d.path.replace(/^(workload|change)\./, "")] ??= d.message;
          setErrors(fields);
          // A name or description error shows next to its field, and is not repeated below as "Invalid input at …".
          // Variable errors keep the message below too: it says more than the short one on the row.
          const atField = (k: string) => k === "name" || k === "description";
          setFormError(Object.keys(fields).length > 0 && Object.keys(fields).every(atField) ? null : res.error.message);
          return;
        }
        toast.success(initial ? `${res.data.name} saved` : `Workload ${res.data.name} created`);
        onDone();
        router.refresh();
      }}
    >
      <div className="space-y-4">
        {foreign.length > 0 && (
          <p role="note" data-testid="foreign-private-note" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200">
            <strong className="font-mono">{foreign.join(", ")}</strong> {foreign.length === 1 ? "comes" : "come"} from another member&apos;s private secret. While this
            workload holds it, only that member can change the workload. Remove {foreign.length === 1 ? "that variable" : "those variables"} to edit
            the rest, or delete the workload.
          </p>
        )}
        <div className="grid gap-4 sm:grid-cols-2">
          <div>
            <Label htmlFor="wl-name">Name</Label>
            <Input id="wl-name" name="name" defaultValue={initial?.name} placeholder="llama-serve" maxLength={63} autoComplete="off" className="font-mono" aria-invalid={!!errors.name} autoFocus />
            <FieldError message={errors.name ? `Name ${errors.name}` : null} />
          </div>
          <div>
            <Label htmlFor="wl-kind">Kind</Label>
            <Select id="wl-kind" name="kind" defaultValue={initial?.kind ?? "endpoint"}>
              <option value="endpoint">endpoint</option>
              <option value="job">job</option>
              <option value="pod">pod</option>
            </Select>
          </div>
        </div>
        <div>
          <Label htmlFor="wl-description">Description (optional)</Label>
          <Textarea id="wl-description" name="description" rows={2} maxLength={500} defaultValue={initial?.description ?? ""} />
          <FieldError message={errors.description ? `Description ${errors.description}` : null} />
        </div>
        <fieldset>
          <legend className="mb-1.5 text-sm font-medium text-zinc-800">Environment</legend>
          {rows.length === 0 && <p className="text-sm text-zinc-500">No variables yet.</p>}
          <ul className="space-y-2" aria-label="Variables">
            {rows.map((b, i) => (
              // Name, source and remove on the first line; the value or secret gets a line of its own, wide enough for long secret names.
              <li key={i} className="grid grid-cols-[minmax(0,1fr)_7rem_auto] gap-2" data-testid="binding-row">
                <Input aria-label={`Variable ${i + 1} name`} value={b.envName} onChange={(e) => set(i, { envName: e.target.value })} placeholder="HF_TOKEN" className="font-mono" />
                <Select aria-label={`Variable ${i + 1} source`} value={b.kind} onChange={(e) => set(i, { kind: e.target.value as Binding["kind"] })}>
                  <option value="value">value</option>
                  <option value="secret">secret</option>
                </Select>
                {b.kind === "value" ? (
                  <Input
                    aria-label={`Variable ${i + 1} value`}
                    value={b.value}
                    onChange={(e) => set(i, { value: e.target.value })}
                    placeholder="not secret: shown to members"
                    className="col-span-full row-start-2"
                  />
                ) : (
                  <Select
                    aria-label={`Variable ${i + 1} secret`}
                    value={b.secretId}
                    className="col-span-full row-start-2"
                    onChange={(e) => {
                      // The secret's own variable name fills an empty name (or the one the previous secret filled in); it stays editable.
                      const before = choices.find((s) => s.id === b.secretId)?.envName;
                      const next = choices.find((s) => s.id === e.target.value)?.envName;
                      const fill = next && (b.envName.trim() === "" || b.envName === before);
                      set(i, { secretId: e.target.value, ...(fill ? { envName: next } : {}) });
                    }}
                  >
                    <option value="">Choose a secret…</option>
                    {choices.map((s) => (
                      <option key={s.id} value={s.id}>
                        {s.name} ({s.visibility})
                      </option>
                    ))}
                  </Select>
                )}
                <Button type="button" variant="ghost" className="px-2" aria-label={`Remove variable ${i + 1}`} onClick={() => setRows((r) => r.filter((_, j) => j !== i))}>
                  <X className="size-4" aria-hidden />
                </Button>
                {isLoaderVariable(b.envName.trim()) && !allowedEnvNames.includes(b.envName.trim()) && !errors[`bindings.${i}.envName`] && (
                  <p className="col-span-full text-sm text-amber-700">
                    <span className="font-mono">{b.envName.trim()}</span> makes a process load code, so it is refused unless a workspace admin allows it (Settings &gt; General).
                  </p>
                )}
                {Object.entries(errors)
                  .filter(([k]) => k.startsWith(`bindings.${i}.`))
                  .map(([k, m]) => (
                    <p key={k} role="alert" className="col-span-full text-sm text-red-600">
                      {m}
                    </p>
                  ))}
              </li>
            ))}
          </ul>
          <Button type="button" variant="secondary" className="mt-2" onClick={() => setRows((r) => [...r, { envName: "", kind: "secret", value: "", secretId: "" }])}>
            <Plus className="size-4" aria-hidden /> Add variable
          </Button>
        </fieldset>
        <FieldError message={formError} />
      </div>
      <div className="mt-6 flex justify-end gap-2">
        <Button type="button" variant="secondary" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" disabled={busy}>
          {busy ? "Saving…" : initial ? "Save workload" : "Create workload"}
        </Button>
      </div>
    </form>
  );
}

export function CreateWorkload({
  workspaceId,
  secrets,
  allowedEnvNames,
  disabledReason,
}: {
  workspaceId: string;
  secrets: SecretChoice[];
  allowedEnvNames: string[];
  disabledReason?: string;
}) {
  const [open, setOpen] = useState(false);
  return (
    <FormDialog
      open={open}
      onOpenChange={setOpen}
      trigger={
        <Button disabled={!!disabledReason} title={disabledReason}>
          <Plus className="size-4" aria-hidden /> New workload
        </Button>
      }
      title="New workload"
      description="An endpoint, job or pod. Its workload tokens fetch the environment below at run time."
    >
      {open && <WorkloadForm workspaceId={workspaceId} secrets={secrets} allowedEnvNames={allowedEnvNames} onDone={() => setOpen(false)} />}
    </FormDialog>
  );
}

export function WorkloadActions({
  workspaceId,
  workload,
  secrets,
  allowedEnvNames,
}: {
  workspaceId: string;
  workload: WorkloadRow;
  secrets: SecretChoice[];
  allowedEnvNames: string[];
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  return (
    <div className="flex items-center gap-0.5">
      <FormDialog
        open={open}
        onOpenChange={setOpen}
        trigger={
          <Button variant="ghost" className="px-2" aria-label={`Edit ${workload.name}`} title="Edit">
            <Pencil className="size-4" aria-hidden />
          </Button>
        }
        title={`Edit ${workload.name}`}
      >
        {open && <WorkloadForm workspaceId={workspaceId} secrets={secrets} allowedEnvNames={allowedEnvNames} initial={workload} onDone={() => setOpen(false)} />}
      </FormDialog>
      <ConfirmDialog
        trigger={
          <Button variant="ghost" className="px-2 text-red-700 hover:bg-red-50" aria-label={`Delete ${workload.name}`} title="Delete">
            <Trash2 className="size-4" aria-hidden />
          </Button>
        }
        title={`Delete ${workload.name}?`}
        description={workload.tokens ? `Its ${workload.tokens} workload token(s) are cancelled at once.` : "It has no workload tokens."}
        confirmLabel="Delete workload"
        typeToConfirm={workload.name}
        onConfirm={async () => {
          const res = await deleteWorkloadAction({ workspaceId, workloadId: workload.id });
          if (!res.ok) {
            toast.error(res.error.message);
            return false;
          }
          toast.success(`${workload.name} deleted${res.data.tokensCancelled ? `; ${res.data.tokensCancelled} token(s) cancelled` : ""}`);
          router.refresh();
        }}
      />
    </div>
  );
}
