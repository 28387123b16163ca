"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import Link from "next/link";
import { deleteWorkspaceAction, renameWorkspaceAction, updateMfaPolicyAction, updateSsoAction, updateTokenPolicyAction, updateWorkloadEnvPolicyAction } from "@/app/(dashboard)/actions";
import { ConfirmDialog } from "@/app/_components/dialogs";
import { useReauth } from "@/app/_components/reauth";
import { Button, FieldError, Input, Label, Select } from "@/app/_components/ui";

export function RenameForm({ workspaceId, name, disabled }: { workspaceId: string; name: string; disabled: boolean }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="flex flex-col gap-3 sm:flex-row sm:items-end"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        const r = await renameWorkspaceAction({ workspaceId, name: String(new FormData(e.currentTarget).get("name") ?? "") });
        setBusy(false);
        if (!r.ok) {
          setError(r.error.details?.[0] ? `Name ${r.error.details[0].message}` : r.error.message);
          return;
        }
        setError(null);
        toast.success("Workspace renamed");
        router.refresh();
      }}
    >
      <div className="flex-1">
        <Label htmlFor="workspace-name">Name</Label>
        <Input id="workspace-name" name="name" defaultValue={name} maxLength={64} required disabled={disabled} aria-invalid={!!error} aria-describedby="workspace-name-error" />
        <FieldError id="workspace-name-error" message={error} />
        {disabled && <p className="mt-1.5 text-sm text-zinc-500">Only owners and admins can rename the workspace.</p>}
      </div>
      <Button type="submit" disabled={disabled || busy} className="sm:mb-[1px]">
        {busy ? "Saving…" : "Save"}
      </Button>
    </form>
  );
}

type Sso = { domain: string | null; defaultRole: string; required: boolean };

export function SsoForm({ workspaceId, sso, disabled }: { workspaceId: string; sso: Sso; disabled: boolean }) {
  const router = useRouter();
  const reauth = useReauth();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="grid gap-4 sm:grid-cols-2"
      onSubmit={async (e) => {
        e.preventDefault();
        const fd = new FormData(e.currentTarget);
        setBusy(true);
        // Claiming a domain is a sensitive action: it may ask "Confirm it's you" first.
        const r = await reauth.run(() =>
          updateSsoAction({
            workspaceId,
            ssoDomain: String(fd.get("ssoDomain") ?? ""),
            ssoDefaultRole: String(fd.get("ssoDefaultRole") ?? "member") as "member",
            ssoRequired: fd.get("ssoRequired") === "on",
          }),
        );
        setBusy(false);
        if (!r.ok) {
          setError(r.error.details?.[0] ? `${r.error.details[0].path === "ssoDomain" ? "Domain" : r.error.details[0].path} ${r.error.details[0].message}` : r.error.message);
          return;
        }
        setError(null);
        toast.success("SSO settings saved");
        router.refresh();
      }}
    >
      <div>
        <Label htmlFor="ssoDomain">Email domain</Label>
        <Input id="ssoDomain" name="ssoDomain" placeholder="example.com" defaultValue={sso.domain ?? ""} disabled={disabled} />
      </div>
      <div>
        <Label htmlFor="ssoDefaultRole">Role for people who join through SSO</Label>
        <Select id="ssoDefaultRole" name="ssoDefaultRole" defaultValue={sso.defaultRole} disabled={disabled}>
          <option value="viewer">Viewer</option>
          <option value="member">Member</option>
          <option value="admin">Admin</option>
        </Select>
      </div>
      <label className="flex items-start gap-2.5 text-sm sm:col-span-2">
        <input type="checkbox" name="ssoRequired" defaultChecked={sso.required} disabled={disabled} className="mt-0.5 size-4 rounded border-zinc-300 accent-brand-600" />
        <span>
          <span className="font-medium text-zinc-900">Require SSO</span>
          <span className="block text-zinc-500">Members who signed in with a password cannot open this workspace.</span>
        </span>
      </label>
      <div className="sm:col-span-2">
        <FieldError message={error} />
        <Button type="submit" disabled={disabled || busy}>
          {busy ? "Saving…" : "Save SSO settings"}
        </Button>
      </div>
    </form>
  );
}

export function TokenPolicyForm({
  workspaceId,
  maxTokenLifetimeDays,
  defaultTokenExpiryDays,
  disabled,
}: {
  workspaceId: string;
  maxTokenLifetimeDays: number;
  defaultTokenExpiryDays: number;
  disabled: boolean;
}) {
  const router = useRouter();
  const [errors, setErrors] = useState<{ max?: string; default?: string; form?: string }>({});
  const [busy, setBusy] = useState(false);
  // A number goes as a number; anything else as it is, and the service says what is wrong.
  const days = (raw: string) => (raw !== "" && Number.isFinite(Number(raw)) ? Number(raw) : (raw as unknown as number));
  return (
    <form
      noValidate
      className="space-y-4"
      onSubmit={async (e) => {
        e.preventDefault();
        const fd = new FormData(e.currentTarget);
        setBusy(true);
        const r = await updateTokenPolicyAction({
          workspaceId,
          maxTokenLifetimeDays: days(String(fd.get("maxTokenLifetimeDays") ?? "").trim()),
          defaultTokenExpiryDays: days(String(fd.get("defaultTokenExpiryDays") ?? "").trim()),
        });
        setBusy(false);
        if (!r.ok) {
          const byPath = new Map((r.error.details ?? []).map((d) => [d.path, d.message]));
          const max = byPath.get("maxTokenLifetimeDays");
          const def = byPath.get("defaultTokenExpiryDays");
          setErrors({
            max: max && `Maximum lifetime ${max}`,
            default: def && `Default expiry ${def}`,
            form: max || def ? undefined : r.error.message,
          });
          return;
        }
        setErrors({});
        const plural = (n: number) => `${n} day${n === 1 ? "" : "s"}`;
        toast.success(`New tokens now live ${plural(r.data.defaultTokenExpiryDays)} unless chosen otherwise, at most ${plural(r.data.maxTokenLifetimeDays)}`);
        router.refresh();
      }}
    >
      <div className="grid gap-4 sm:grid-cols-2">
        <div>
          <Label htmlFor="max-token-lifetime">Maximum token lifetime (days)</Label>
          <Input
            id="max-token-lifetime"
            name="maxTokenLifetimeDays"
            type="number"
            inputMode="numeric"
            min={1}
            max={365}
            step={1}
            defaultValue={maxTokenLifetimeDays}
            disabled={disabled}
            className="w-32"
            aria-invalid={!!errors.max}
            aria-describedby="max-token-lifetime-help max-token-lifetime-error"
          />
          <FieldError id="max-token-lifetime-error" message={errors.max} />
          <p id="max-token-lifetime-help" className="mt-1.5 text-sm text-zinc-500">
            From 1 to 365 days. Lowering it does not shorten tokens that already exist: it applies when tokens are created or renewed.
          </p>
        </div>
        <div>
          <Label htmlFor="default-token-expiry">Default expiry of new tokens (days)</Label>
          <Input
            id="default-token-expiry"
            name="defaultTokenExpiryDays"
            type="number"
            inputMode="numeric"
            min={1}
            max={365}
            step={1}
            defaultValue={defaultTokenExpiryDays}
            disabled={disabled}
            className="w-32"
            aria-invalid={!!errors.default}
            aria-describedby="default-token-expiry-help default-token-expiry-error"
          />
          <FieldError id="default-token-expiry-error" message={errors.default} />
          <p id="default-token-expiry-help" className="mt-1.5 text-sm text-zinc-500">
            Preselected in the create dialog, and used by the API and CLI when no expiry is given. 1 day is the safe default; 30 suits workloads
            that run for weeks. At most the maximum.
          </p>
        </div>
      </div>
      <FieldError message={errors.form} />
      <div className="flex items-center justify-between gap-3">
        <p className="text-sm text-zinc-500">{disabled && "Only owners and admins can change these."}</p>
        <Button type="submit" disabled={disabled || busy}>
          {busy ? "Saving…" : "Save"}
        </Button>
      </div>
    </form>
  );
}

/**
 * "Require a second factor" of members who sign in with a password. `selfLocked`: this session
 * signed in with a password and has no second factor, so it cannot turn the requirement on.
 */
export function MfaPolicyForm({
  workspaceId,
  requireMfa,
  disabled,
  selfLocked,
  withoutFactor,
}: {
  workspaceId: string;
  requireMfa: boolean;
  disabled: boolean;
  selfLocked: boolean;
  /** Password members without a second factor (null: not shown to this role). */
  withoutFactor: number | null;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [checked, setChecked] = useState(requireMfa);
  return (
    <form
      data-testid="mfa-policy-form"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        const r = await updateMfaPolicyAction({ workspaceId, requireMfa: checked });
        setBusy(false);
        if (!r.ok) {
          setError(r.error.message);
          return;
        }
        setError(null);
        toast.success(r.data.requireMfa ? "A second factor is now required" : "A second factor is no longer required");
        router.refresh();
      }}
    >
      <label className="flex items-start gap-2.5 text-sm">
        <input
          type="checkbox"
          name="requireMfa"
          checked={checked}
          onChange={(e) => setChecked(e.target.checked)}
          disabled={disabled || (selfLocked && !requireMfa)}
          className="mt-0.5 size-4 rounded border-zinc-300 accent-brand-600"
          aria-describedby="require-mfa-help"
        />
        <span>
          <span className="font-medium text-zinc-900">Require a second factor</span>
          <span id="require-mfa-help" className="block text-zinc-500">
            Members who sign in with a password cannot open this workspace until they turn on an authenticator app in their account
            settings. Members who sign in with SSO are trusted to their identity provider, and API tokens keep working.
          </span>
        </span>
      </label>
      {selfLocked && !requireMfa && !disabled && (
        <p className="mt-3 text-sm text-amber-800" data-testid="require-mfa-self">
          You signed in with a password and have no second factor yet: <Link href="/account" className="font-medium underline underline-offset-2">set one up</Link>{" "}
          first, so that you do not shut yourself out.
        </p>
      )}
      {withoutFactor !== null && withoutFactor > 0 && (
        <p className="mt-3 text-sm text-zinc-600">
          {withoutFactor} member{withoutFactor === 1 ? "" : "s"} who sign{withoutFactor === 1 ? "s" : ""} in with a password {withoutFactor === 1 ? "has" : "have"} no second
          factor {requireMfa ? "and cannot open the workspace" : "and would be kept out"} (marked on the Members page).
        </p>
      )}
      <FieldError message={error} />
      <Button type="submit" className="mt-4" disabled={disabled || busy || checked === requireMfa}>
        {busy ? "Saving…" : "Save"}
      </Button>
      {disabled && <p className="mt-1.5 text-sm text-zinc-500">Only owners and admins can change it.</p>}
    </form>
  );
}

/** The code-loading variable names (PATH, LD_PRELOAD, …) this workspace's workloads may set. */
export function WorkloadEnvPolicyForm({ workspaceId, allowedEnvNames, disabled }: { workspaceId: string; allowedEnvNames: string[]; disabled: boolean }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        const raw = String(new FormData(e.currentTarget).get("allowedEnvNames") ?? "");
        const names = raw.split(/[\s,]+/).filter(Boolean);
        setBusy(true);
        const r = await updateWorkloadEnvPolicyAction({ workspaceId, allowedEnvNames: names });
        setBusy(false);
        if (!r.ok) {
          const d = r.error.details?.[0];
          const i = d ? Number(d.path.split(".")[1]) : NaN;
          setError(d && Number.isInteger(i) && names[i] ? `${names[i]} ${d.message}` : (d?.message ?? r.error.message));
          return;
        }
        setError(null);
        toast.success(r.data.allowedEnvNames.length ? `Workloads may set ${r.data.allowedEnvNames.join(", ")}` : "Workloads may set no code-loading variables");
        router.refresh();
      }}
    >
      <Label htmlFor="allowed-env-names">Allowed code-loading variables</Label>
      <div className="flex items-start gap-3">
        <Input
          id="allowed-env-names"
          name="allowedEnvNames"
          defaultValue={allowedEnvNames.join(", ")}
          placeholder="none, e.g. LD_LIBRARY_PATH"
          disabled={disabled}
          autoComplete="off"
          className="font-mono"
          aria-invalid={!!error}
          aria-describedby="allowed-env-names-help allowed-env-names-error"
        />
        <Button type="submit" disabled={disabled || busy}>
          {busy ? "Saving…" : "Save"}
        </Button>
      </div>
      <FieldError id="allowed-env-names-error" message={error} />
      <p id="allowed-env-names-help" className="mt-1.5 text-sm text-zinc-500">
        Variables such as PATH, LD_PRELOAD, NODE_OPTIONS or PYTHONPATH make a process load code, so any member who edits a workload could use
        them to read its secrets. Workloads cannot set them unless you list the exact name here (comma-separated). Changes are audited.
        {disabled && " Only owners and admins can change it."}
      </p>
    </form>
  );
}

export function DeleteWorkspace({ workspaceId, name }: { workspaceId: string; name: string }) {
  const router = useRouter();
  const reauth = useReauth();
  return (
    <ConfirmDialog
      trigger={<Button variant="danger">Delete workspace</Button>}
      title="Delete this workspace?"
      description={
        <>
          <strong>{name}</strong> and everything in it (members, tokens, secrets, workloads) will be deleted. Tokens stop working at once.
        </>
      }
      typeToConfirm={name}
      confirmLabel="Delete workspace"
      onConfirm={async (typed) => {
        const r = await reauth.run(() => deleteWorkspaceAction({ workspaceId, confirmName: typed }));
        if (!r.ok) {
          toast.error(r.error.message);
          return false;
        }
        toast.success(`Deleted ${name}`);
        router.push("/");
        router.refresh();
      }}
    />
  );
}
