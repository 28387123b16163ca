"use client";

// Secrets page controls: the create dialog (preset picker), replace value, rename, match check and
// delete. A value typed here goes to the server once and is never shown back.
import { Pencil, Plus, RefreshCw, SearchCheck, Trash2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { ConfirmDialog, FormDialog } from "@/app/_components/dialogs";
import { Button, FieldError, Input, Label, Select, Textarea } from "@/app/_components/ui";
import { PRESET_INFO, PRESETS, type Preset } from "@/lib/secrets/presets";
import type { SecretAction } from "@/lib/services/secrets";
import { createSecretAction, deleteSecretAction, matchSecretAction, replaceSecretValueAction, updateSecretAction } from "./actions";

type Details = { path: string; message: string }[] | undefined;
const fieldsOf = (details: Details, prefix: string) => {
  const out: Record<string, string> = {};
  for (const d of details ?? []) out[d.path.replace(prefix, "").split(".")[0]!] ??= d.message;
  return out;
};

/** The value input: one textarea, or server / username / password for a registry login. */
function ValueField({ preset, errors, idPrefix }: { preset: Preset; errors: Record<string, string>; idPrefix: string }) {
  if (preset === "registry") {
    return (
      <fieldset className="grid gap-3 sm:grid-cols-3">
        <legend className="mb-1.5 text-sm font-medium text-zinc-800">Registry login</legend>
        <div>
          <Label htmlFor={`${idPrefix}-server`}>Server</Label>
          <Input id={`${idPrefix}-server`} name="server" placeholder="nvcr.io" autoComplete="off" />
        </div>
        <div>
          <Label htmlFor={`${idPrefix}-username`}>Username</Label>
          <Input id={`${idPrefix}-username`} name="username" autoComplete="off" />
        </div>
        <div>
          <Label htmlFor={`${idPrefix}-password`}>Password</Label>
          <Input id={`${idPrefix}-password`} name="password" type="password" autoComplete="new-password" />
        </div>
        <FieldError message={errors.value ? `Value ${errors.value}` : null} />
      </fieldset>
    );
  }
  return (
    <div>
      <Label htmlFor={`${idPrefix}-value`}>Value</Label>
      <Textarea
        id={`${idPrefix}-value`}
        name="value"
        rows={preset === "ssh-public-key" ? 3 : 2}
        placeholder={PRESET_INFO[preset].hint}
        autoComplete="off"
        spellCheck={false}
        className="font-mono"
        aria-invalid={!!errors.value}
      />
      <FieldError message={errors.value ? `Value ${errors.value}` : null} />
      <p className="mt-1 text-xs text-zinc-500">Write-only: after saving, nobody can read it here again.</p>
    </div>
  );
}

function readValue(f: FormData, preset: Preset): string | { server: string; username: string; password: string } {
  if (preset === "registry") return { server: String(f.get("server") ?? ""), username: String(f.get("username") ?? ""), password: String(f.get("password") ?? "") };
  return String(f.get("value") ?? "");
}

export function CreateSecret({ workspaceId, canPublic }: { workspaceId: string; canPublic: boolean }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [preset, setPreset] = useState<Preset>("custom");
  const [envName, setEnvName] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const change = (o: boolean) => {
    setOpen(o);
    if (!o) {
      setErrors({});
      setFormError(null);
      setPreset("custom");
      setEnvName("");
    }
  };
  return (
    <FormDialog
      open={open}
      onOpenChange={change}
      trigger={
        <Button>
          <Plus className="size-4" aria-hidden /> New secret
        </Button>
      }
      title="New secret"
      description="Stored encrypted. Workloads get it as an environment variable; people never see it again."
    >
      <form
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          const expires = String(f.get("expiresAt") ?? "");
          setBusy(true);
          setErrors({});
          setFormError(null);
          const res = await createSecretAction({
            workspaceId,
            secret: {
              name: String(f.get("name") ?? ""),
              preset,
              value: readValue(f, preset),
              visibility: (f.get("visibility") as "private" | "public") ?? "private",
              ...(envName.trim() ? { envName: envName.trim() } : {}),
              ...(expires ? { expiresAt: new Date(`${expires}T00:00:00Z`).toISOString() } : {}),
            },
          });
          setBusy(false);
          if (!res.ok) {
            const fields = fieldsOf(res.error.details, "secret.");
            setErrors(fields);
            if (!Object.keys(fields).length) setFormError(res.error.message);
            return;
          }
          for (const w of res.data.warnings) toast.warning(`${res.data.secret.name}: ${w}`);
          toast.success(`Secret ${res.data.secret.name} saved`);
          change(false);
          router.refresh();
        }}
      >
        <div className="space-y-4">
          <div className="grid gap-4 sm:grid-cols-2">
            <div>
              <Label htmlFor="secret-preset">Kind</Label>
              <Select
                id="secret-preset"
                value={preset}
                onChange={(e) => {
                  const p = e.target.value as Preset;
                  setPreset(p);
                  setEnvName(PRESET_INFO[p].envName ?? "");
                  setErrors({});
                  setFormError(null);
                }}
              >
                {PRESETS.map((p) => (
                  <option key={p} value={p}>
                    {PRESET_INFO[p].label}
                  </option>
                ))}
              </Select>
            </div>
            <div>
              <Label htmlFor="secret-name">Name</Label>
              <Input id="secret-name" name="name" maxLength={64} placeholder="hf-read-token" autoComplete="off" aria-invalid={!!errors.name} autoFocus />
              <FieldError message={errors.name ? `Name ${errors.name}` : null} />
            </div>
          </div>
          <ValueField preset={preset} errors={errors} idPrefix="secret" />
          <div className="grid gap-4 sm:grid-cols-2">
            <div>
              <Label htmlFor="secret-env">Environment variable</Label>
              <Input id="secret-env" value={envName} onChange={(e) => setEnvName(e.target.value)} placeholder="MY_SECRET" className="font-mono" aria-invalid={!!errors.envName} />
              <FieldError message={errors.envName ? `Variable ${errors.envName}` : null} />
            </div>
            <div>
              <Label htmlFor="secret-expiry">Expires (optional)</Label>
              <Input id="secret-expiry" name="expiresAt" type="date" aria-invalid={!!errors.expiresAt} />
              <FieldError message={errors.expiresAt ? `Expiry ${errors.expiresAt}` : null} />
            </div>
          </div>
          <fieldset>
            <legend className="mb-1.5 text-sm font-medium text-zinc-800">Visibility</legend>
            <div className="flex flex-wrap gap-4 text-sm">
              <label className="flex items-center gap-2">
                <input type="radio" name="visibility" value="private" defaultChecked /> Private: only you can see and use it
              </label>
              {canPublic && (
                <label className="flex items-center gap-2">
                  <input type="radio" name="visibility" value="public" /> Public: every member can use it
                </label>
              )}
            </div>
          </fieldset>
          <FieldError message={formError} />
        </div>
        <div className="mt-6 flex justify-end gap-2">
          <Button type="button" variant="secondary" onClick={() => change(false)}>
            Cancel
          </Button>
          <Button type="submit" disabled={busy}>
            {busy ? "Encrypting…" : "Save secret"}
          </Button>
        </div>
      </form>
    </FormDialog>
  );
}

type Row = { id: string; name: string; preset: Preset };

function ValueDialog({ workspaceId, secret, mode, onClose }: { workspaceId: string; secret: Row; mode: "replace" | "match"; onClose: () => void }) {
  const router = useRouter();
  const [open, setOpen] = useState(true);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [result, setResult] = useState<boolean | null>(null);
  const [busy, setBusy] = useState(false);
  const close = () => {
    setOpen(false);
    onClose();
  };
  return (
    <FormDialog
      open={open}
      onOpenChange={(o) => !o && close()}
      trigger={<span hidden />}
      title={mode === "replace" ? `Replace the value of ${secret.name}` : `Check a value against ${secret.name}`}
      description={
        mode === "replace"
          ? "The new value becomes version n+1; older versions are deleted. Workloads get it on their next start."
          : "Tells you whether your value equals the stored one, and nothing else. Limited to 10 checks per 10 minutes; audited."
      }
    >
      <form
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          const value = readValue(new FormData(e.currentTarget), secret.preset);
          setBusy(true);
          setErrors({});
          if (mode === "replace") {
            const res = await replaceSecretValueAction({ workspaceId, secretId: secret.id, change: { value } });
            setBusy(false);
            if (!res.ok) return setErrors({ value: fieldsOf(res.error.details, "change.").value ?? res.error.message });
            for (const w of res.data.warnings) toast.warning(`${secret.name}: ${w}`);
            toast.success(`${secret.name} is now version ${res.data.secret.version}`);
            close();
            router.refresh();
          } else {
            const res = await matchSecretAction({ workspaceId, secretId: secret.id, candidate: { value } });
            setBusy(false);
            if (!res.ok) return setErrors({ value: res.error.message });
            setResult(res.data.match);
          }
        }}
      >
        <ValueField preset={secret.preset} errors={errors} idPrefix={`${mode}-${secret.id}`} />
        {result !== null && (
          <p role="status" className={result ? "mt-3 text-sm font-medium text-emerald-700" : "mt-3 text-sm font-medium text-red-700"}>
            {result ? "Matches the stored value." : "Does not match the stored value."}
          </p>
        )}
        <div className="mt-6 flex justify-end gap-2">
          <Button type="button" variant="secondary" onClick={close}>
            {result !== null ? "Done" : "Cancel"}
          </Button>
          <Button type="submit" disabled={busy}>
            {busy ? "Working…" : mode === "replace" ? "Replace value" : "Check"}
          </Button>
        </div>
      </form>
    </FormDialog>
  );
}

function RenameDialog({ workspaceId, secret, onClose }: { workspaceId: string; secret: Row; onClose: () => void }) {
  const router = useRouter();
  const [open, setOpen] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const close = () => {
    setOpen(false);
    onClose();
  };
  return (
    <FormDialog open={open} onOpenChange={(o) => !o && close()} trigger={<span hidden />} title={`Rename ${secret.name}`}>
      <form
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          const name = String(new FormData(e.currentTarget).get("name") ?? "");
          const res = await updateSecretAction({ workspaceId, secretId: secret.id, change: { name } });
          if (!res.ok) return setError(fieldsOf(res.error.details, "change.").name ? `Name ${fieldsOf(res.error.details, "change.").name}` : res.error.message);
          toast.success(`Renamed to ${res.data.name}`);
          close();
          router.refresh();
        }}
      >
        <Label htmlFor={`rename-${secret.id}`}>Name</Label>
        <Input id={`rename-${secret.id}`} name="name" defaultValue={secret.name} maxLength={64} autoFocus />
        <FieldError message={error} />
        <div className="mt-6 flex justify-end gap-2">
          <Button type="button" variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button type="submit">Rename</Button>
        </div>
      </form>
    </FormDialog>
  );
}

export function SecretActions({ workspaceId, secret, actions }: { workspaceId: string; secret: Row; actions: SecretAction[] }) {
  const router = useRouter();
  const [dialog, setDialog] = useState<Exclude<SecretAction, "delete"> | null>(null);
  const icon = "px-2";
  return (
    <div className="flex items-center gap-0.5">
      {actions.includes("match") && (
        <Button variant="ghost" className={icon} aria-label={`Check a value against ${secret.name}`} title="Check a value" onClick={() => setDialog("match")}>
          <SearchCheck className="size-4" aria-hidden />
        </Button>
      )}
      {actions.includes("replace") && (
        <Button variant="ghost" className={icon} aria-label={`Replace the value of ${secret.name}`} title="Replace value" onClick={() => setDialog("replace")}>
          <RefreshCw className="size-4" aria-hidden />
        </Button>
      )}
      {actions.includes("rename") && (
        <Button variant="ghost" className={icon} aria-label={`Rename ${secret.name}`} title="Rename" onClick={() => setDialog("rename")}>
          <Pencil className="size-4" aria-hidden />
        </Button>
      )}
      {actions.includes("delete") && (
        <ConfirmDialog
          trigger={
            <Button variant="ghost" className={`${icon} text-red-700 hover:bg-red-50`} aria-label={`Delete ${secret.name}`} title="Delete">
              <Trash2 className="size-4" aria-hidden />
            </Button>
          }
          title={`Delete ${secret.name}?`}
          description="The value is destroyed and cannot be recovered. Workloads that use it must be changed first."
          confirmLabel="Delete secret"
          typeToConfirm={secret.name}
          onConfirm={async () => {
            const res = await deleteSecretAction({ workspaceId, secretId: secret.id });
            if (!res.ok) {
              toast.error(res.error.message);
              return false;
            }
            toast.success(`${secret.name} deleted`);
            router.refresh();
          }}
        />
      )}
      {(dialog === "replace" || dialog === "match") && <ValueDialog workspaceId={workspaceId} secret={secret} mode={dialog} onClose={() => setDialog(null)} />}
      {dialog === "rename" && <RenameDialog workspaceId={workspaceId} secret={secret} onClose={() => setDialog(null)} />}
    </div>
  );
}
