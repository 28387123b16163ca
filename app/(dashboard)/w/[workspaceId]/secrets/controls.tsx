"use client";

// Secrets page controls: the create dialog (preset picker), replace value, edit (name, variable,
// visibility, expiry), match check, delete, and the .env import with its preview. A value typed
// here goes to the server once and is never shown back: value fields are uncontrolled (React would
// otherwise copy a controlled value into the DOM's default value, and so into the page's HTML), and
// the live format check runs in the page (checkPreset), sending nothing.
import { FileUp, Pencil, Plus, RefreshCw, SearchCheck, Trash2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { toast } from "sonner";
import { ConfirmDialog, FormDialog } from "@/app/_components/dialogs";
import { Badge, Button, FieldError, Input, Label, Select, Textarea } from "@/app/_components/ui";
import type { ImportResult } from "@/lib/schemas/secret";
import { checkPreset, PRESET_INFO, PRESETS, type Preset } from "@/lib/secrets/presets";
import type { SecretAction } from "@/lib/services/secrets";
import { createSecretAction, deleteSecretAction, importSecretsAction, matchSecretAction, replaceSecretValueAction, updateSecretAction } from "./actions";

type Details = { path: string; message: string }[] | undefined;
const fieldsOf = (details: Details, prefix: string) => {
  const out: Record<string, string> = {};
  for (const d of details ?? []) out[d.path.replace(prefix, "").split(".")[0]!] ??= d.message;
  return out;
};

/**
 * What the preset's check says of a value as it is typed: its first error or its warnings. Run in
 * the page, on the value in the field, so that "does not look like a Hugging Face token" shows
 * before saving. Only the verdict is kept in state, never the value.
 */
function useFormatCheck(preset: Preset) {
  const [check, setCheck] = useState<{ errors: string[]; warnings: string[] }>({ errors: [], warnings: [] });
  const onValue = (value: string) => setCheck(value.trim() === "" ? { errors: [], warnings: [] } : checkPreset(preset, value));
  return { check, onValue, reset: () => setCheck({ errors: [], warnings: [] }) };
}

type ValueMode = "save" | "match";

/** The value input: one textarea, or server / username / password for a registry login. */
function ValueField({ preset, errors, idPrefix, mode = "save" }: { preset: Preset; errors: Record<string, string>; idPrefix: string; mode?: ValueMode }) {
  const format = useFormatCheck(preset);
  const { onValue } = format;
  // A new kind checks the value already typed against its own format.
  useEffect(() => onValue((document.getElementById(`${idPrefix}-value`) as HTMLTextAreaElement | null)?.value ?? ""), [preset]); // eslint-disable-line react-hooks/exhaustive-deps
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
        aria-describedby={mode === "save" ? `${idPrefix}-value-help ${idPrefix}-value-format` : `${idPrefix}-value-help`}
        onChange={mode === "save" ? (e) => format.onValue(e.currentTarget.value) : undefined}
      />
      <FieldError message={errors.value ? `Value ${errors.value}` : null} />
      {mode === "save" && (
      <p id={`${idPrefix}-value-format`} role="status" aria-live="polite" data-testid="format-check" className="text-xs">
        {!errors.value && format.check.errors[0] && <span className="mt-1 block text-red-700">This {PRESET_INFO[preset].label} {format.check.errors[0]}.</span>}
        {!errors.value && !format.check.errors.length && format.check.warnings.map((w) => (
          <span key={w} className="mt-1 block text-amber-800">
            This value {w.replace(/; saved anyway$/, "")}: check it before saving (it can be saved anyway).
          </span>
        ))}
      </p>
      )}
      <p id={`${idPrefix}-value-help`} className="mt-1 text-xs text-zinc-500">
        {mode === "save"
          ? "Write-only: after saving, nobody can read it here again."
          : "Compared with the stored value on the server, then forgotten: it is not stored, logged or audited. You learn only whether it matches."}
      </p>
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

type Row = { id: string; name: string; preset: Preset; envName: string | null; visibility: "private" | "public"; expiresAt: string | null };

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
          : "Paste a value to find out whether it is the one stored here, for example a key found in a log. You learn match or no match, nothing else. At most 10 checks per 10 minutes; each check is audited (without the value)."
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
        <ValueField preset={secret.preset} errors={errors} idPrefix={`${mode}-${secret.id}`} mode={mode === "replace" ? "save" : "match"} />
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

/**
 * Edit a secret's name, variable name, visibility and expiry, through the update operation (the
 * service decides who may make a secret public or private; the radios only say so beforehand).
 * Only the fields changed are sent.
 */
function EditDialog({ workspaceId, secret, canPublic, isCreator, onClose }: { workspaceId: string; secret: Row; canPublic: boolean; isCreator: boolean; onClose: () => void }) {
  const router = useRouter();
  const [open, setOpen] = useState(true);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const close = () => {
    setOpen(false);
    onClose();
  };
  const day = secret.expiresAt ? secret.expiresAt.slice(0, 10) : "";
  const id = `edit-${secret.id}`;
  const mayPublic = secret.visibility === "public" || canPublic;
  const mayPrivate = secret.visibility === "private" || isCreator;
  return (
    <FormDialog open={open} onOpenChange={(o) => !o && close()} trigger={<span hidden />} title={`Edit ${secret.name}`} description="Settings only: the value stays as it is (use Replace value for a new one).">
      <form
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          const name = String(f.get("name") ?? "").trim();
          const envName = String(f.get("envName") ?? "").trim();
          const visibility = String(f.get("visibility") ?? secret.visibility) as Row["visibility"];
          const expires = String(f.get("expiresAt") ?? "");
          const change: { name?: string; envName?: string | null; visibility?: Row["visibility"]; expiresAt?: string | null } = {};
          if (name !== secret.name) change.name = name;
          if ((envName || null) !== secret.envName) change.envName = envName || null;
          if (visibility !== secret.visibility) change.visibility = visibility;
          if (expires !== day) change.expiresAt = expires ? new Date(`${expires}T00:00:00Z`).toISOString() : null;
          if (!Object.keys(change).length) return close();
          setBusy(true);
          setErrors({});
          setFormError(null);
          const res = await updateSecretAction({ workspaceId, secretId: secret.id, change });
          setBusy(false);
          if (!res.ok) {
            const fields = fieldsOf(res.error.details, "change.");
            setErrors(fields);
            if (!Object.keys(fields).length) setFormError(res.error.message);
            return;
          }
          toast.success(`${res.data.name} saved`);
          close();
          router.refresh();
        }}
      >
        <div className="space-y-4">
          <div className="grid gap-4 sm:grid-cols-2">
            <div>
              <Label htmlFor={`${id}-name`}>Name</Label>
              <Input id={`${id}-name`} name="name" defaultValue={secret.name} maxLength={64} autoComplete="off" aria-invalid={!!errors.name} autoFocus />
              <FieldError message={errors.name ? `Name ${errors.name}` : null} />
            </div>
            <div>
              <Label htmlFor={`${id}-env`}>Environment variable</Label>
              <Input id={`${id}-env`} name="envName" defaultValue={secret.envName ?? ""} placeholder="none" className="font-mono" autoComplete="off" aria-invalid={!!errors.envName} />
              <FieldError message={errors.envName ? `Variable ${errors.envName}` : null} />
            </div>
          </div>
          <div>
            <Label htmlFor={`${id}-expiry`}>Expires (empty: never)</Label>
            <Input id={`${id}-expiry`} name="expiresAt" type="date" defaultValue={day} aria-invalid={!!errors.expiresAt} />
            <FieldError message={errors.expiresAt ? `Expiry ${errors.expiresAt}` : null} />
          </div>
          <fieldset>
            <legend className="mb-1.5 text-sm font-medium text-zinc-800">Visibility</legend>
            <div className="space-y-2 text-sm">
              <label className="flex items-start gap-2">
                <input type="radio" name="visibility" value="private" defaultChecked={secret.visibility === "private"} disabled={!mayPrivate} className="mt-1" />
                <span>
                  Private: only its creator can see and use it
                  {!mayPrivate && <span className="block text-xs text-zinc-500">Only the member who created it can make it private.</span>}
                </span>
              </label>
              <label className="flex items-start gap-2">
                <input type="radio" name="visibility" value="public" defaultChecked={secret.visibility === "public"} disabled={!mayPublic} className="mt-1" />
                <span>
                  Public: every member can use it
                  {!mayPublic && <span className="block text-xs text-zinc-500">Making a secret public needs an admin or owner.</span>}
                </span>
              </label>
            </div>
          </fieldset>
          <FieldError message={formError} />
        </div>
        <div className="mt-6 flex justify-end gap-2">
          <Button type="button" variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button type="submit" disabled={busy}>
            {busy ? "Saving…" : "Save changes"}
          </Button>
        </div>
      </form>
    </FormDialog>
  );
}

const rowAction = "px-2.5 py-1.5 text-xs";

export function SecretActions({ workspaceId, secret, actions, canPublic = false, isCreator = false }: { workspaceId: string; secret: Row; actions: SecretAction[]; canPublic?: boolean; isCreator?: boolean }) {
  const router = useRouter();
  const [dialog, setDialog] = useState<Exclude<SecretAction, "delete"> | null>(null);
  // Text labels (the secret's name for screen readers only): no icon known only by its tooltip.
  const who = <span className="sr-only"> {secret.name}</span>;
  return (
    <div className="flex flex-wrap items-center gap-1" role="group" aria-label={`Actions for ${secret.name}`}>
      {actions.includes("match") && (
        <Button variant="ghost" className={rowAction} onClick={() => setDialog("match")}>
          <SearchCheck className="size-3.5" aria-hidden /> Check value{who}
        </Button>
      )}
      {actions.includes("replace") && (
        <Button variant="ghost" className={rowAction} onClick={() => setDialog("replace")}>
          <RefreshCw className="size-3.5" aria-hidden /> Replace value{who}
        </Button>
      )}
      {actions.includes("edit") && (
        <Button variant="ghost" className={rowAction} onClick={() => setDialog("edit")}>
          <Pencil className="size-3.5" aria-hidden /> Edit{who}
        </Button>
      )}
      {actions.includes("delete") && (
        <ConfirmDialog
          trigger={
            <Button variant="ghost" className={`${rowAction} text-red-700 hover:bg-red-50`}>
              <Trash2 className="size-3.5" aria-hidden /> Delete{who}
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
      {dialog === "edit" && <EditDialog workspaceId={workspaceId} secret={secret} canPublic={canPublic} isCreator={isCreator} onClose={() => setDialog(null)} />}
    </div>
  );
}

const STATUS_LABEL: Record<ImportResult["lines"][number]["status"], { label: string; tone: "green" | "blue" | "gray" | "red" }> = {
  new: { label: "new", tone: "green" },
  replaced: { label: "replace", tone: "blue" },
  skipped: { label: "skip", tone: "gray" },
  invalid: { label: "invalid", tone: "red" },
};

/**
 * Import a pasted or uploaded .env file: a preview first (the import operation as a dry run: each
 * line new, replaced, skipped or invalid, never a value), then the import itself, in one
 * transaction. The text stays in the uncontrolled textarea (never in state or the page's HTML); a
 * file is read into it in the browser.
 */
export function ImportSecrets({ workspaceId, canPublic }: { workspaceId: string; canPublic: boolean }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [preview, setPreview] = useState<ImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const change = (o: boolean) => {
    setOpen(o);
    if (!o) {
      setPreview(null);
      setError(null);
    }
  };
  const options = () => {
    const f = new FormData(form.current!);
    return {
      dotenv: String(f.get("dotenv") ?? ""),
      replace: f.get("replace") === "on",
      visibility: (f.get("visibility") as "private" | "public" | null) ?? "private",
    };
  };
  const run = async (dryRun: boolean) => {
    setBusy(true);
    setError(null);
    const res = await importSecretsAction({ workspaceId, import: { ...options(), dryRun } });
    setBusy(false);
    if (!res.ok) {
      setError(res.error.message);
      return;
    }
    if (dryRun) return setPreview(res.data);
    const c = res.data.counts;
    toast.success(`Imported: ${c.new} created, ${c.replaced} replaced, ${c.skipped} skipped`);
    for (const l of res.data.lines) for (const w of l.warnings) toast.warning(`${l.name}: ${w}`);
    change(false);
    router.refresh();
  };
  // Any change to the text or the options makes the preview stale.
  const stale = () => preview && setPreview(null);
  const counts = preview?.counts;
  const toWrite = counts ? counts.new + counts.replaced : 0;
  return (
    <FormDialog
      open={open}
      onOpenChange={change}
      trigger={
        <Button variant="secondary">
          <FileUp className="size-4" aria-hidden /> Import .env
        </Button>
      }
      title="Import secrets from a .env file"
      description="Each KEY=VALUE line becomes the secret named KEY, with KEY as its variable name. Preview first: nothing is saved until you import, and values are never shown."
    >
      <form
        ref={form}
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          await run(!preview);
        }}
        onChange={stale}
      >
        <div className="space-y-4">
          <div>
            <Label htmlFor="import-dotenv">Paste the file</Label>
            <Textarea
              id="import-dotenv"
              name="dotenv"
              rows={6}
              placeholder={"HF_TOKEN=hf_…\nexport DB_PASSWORD=\"…\""}
              autoComplete="off"
              spellCheck={false}
              className="font-mono text-xs"
            />
            <div className="mt-2 flex flex-wrap items-center gap-2 text-sm">
              <Label htmlFor="import-file" className="mb-0">
                or choose a file:
              </Label>
              <input
                id="import-file"
                type="file"
                accept=".env,text/plain"
                className="max-w-full text-sm file:mr-2 file:rounded-md file:border file:border-zinc-300 file:bg-white file:px-2.5 file:py-1 file:text-sm"
                onChange={async (e) => {
                  const file = e.currentTarget.files?.[0];
                  if (!file) return;
                  const area = form.current?.elements.namedItem("dotenv") as HTMLTextAreaElement | null;
                  if (area) area.value = await file.text();
                  e.currentTarget.value = "";
                  setPreview(null);
                }}
              />
            </div>
          </div>
          <div className="flex flex-wrap gap-x-6 gap-y-2 text-sm">
            <label className="flex items-center gap-2">
              <input type="checkbox" name="replace" /> Replace the values of secrets that exist
            </label>
            <fieldset className="flex flex-wrap items-center gap-4">
              <legend className="sr-only">Visibility of new secrets</legend>
              <label className="flex items-center gap-2">
                <input type="radio" name="visibility" value="private" defaultChecked /> New ones private
              </label>
              {canPublic && (
                <label className="flex items-center gap-2">
                  <input type="radio" name="visibility" value="public" /> New ones public
                </label>
              )}
            </fieldset>
          </div>
          {preview && counts && (
            <section aria-label="Preview" data-testid="import-preview">
              <p className="text-sm font-medium text-zinc-900" data-testid="import-counts">
                {counts.new} new · {counts.replaced} replaced · {counts.skipped} skipped · {counts.invalid} invalid
              </p>
              <ul className="mt-2 max-h-64 divide-y divide-zinc-100 overflow-y-auto rounded-md border border-zinc-200 text-sm" aria-label="Lines">
                {preview.lines.map((l) => (
                  <li key={l.line} data-testid="import-line" data-status={l.status} data-name={l.name ?? ""} className="flex items-start gap-2 px-3 py-2">
                    <span className="w-12 shrink-0 text-xs text-zinc-500">line {l.line}</span>
                    <Badge tone={STATUS_LABEL[l.status].tone}>{STATUS_LABEL[l.status].label}</Badge>
                    <span className="min-w-0 break-words">
                      {l.name && <code className="font-mono text-xs">{l.name}</code>}
                      {l.reason && <span className="block text-xs text-zinc-600">{l.reason}</span>}
                      {l.warnings.map((w) => (
                        <span key={w} className="block text-xs text-amber-800">
                          {w}
                        </span>
                      ))}
                    </span>
                  </li>
                ))}
              </ul>
              {counts.invalid > 0 && <p className="mt-2 text-sm text-red-700">Fix or remove the invalid lines, then preview again: nothing is imported while one is invalid.</p>}
            </section>
          )}
          <FieldError message={error} />
        </div>
        <div className="mt-6 flex justify-end gap-2">
          <Button type="button" variant="secondary" onClick={() => change(false)}>
            Cancel
          </Button>
          {preview ? (
            <Button type="submit" disabled={busy || counts!.invalid > 0 || toWrite === 0}>
              {busy ? "Importing…" : `Import ${toWrite} secret${toWrite === 1 ? "" : "s"}`}
            </Button>
          ) : (
            <Button type="submit" disabled={busy}>
              {busy ? "Checking…" : "Preview"}
            </Button>
          )}
        </div>
      </form>
    </FormDialog>
  );
}
