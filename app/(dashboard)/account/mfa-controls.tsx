"use client";

// Account > Second factor, the interactive parts: enrolment (QR code, key, confirmation code),
// recovery codes (shown once, with copy and download), making new ones, and turning it off.
import { Download, ShieldCheck, ShieldOff } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { CopyButton } from "@/app/_components/copy-button";
import { FormDialog } from "@/app/_components/dialogs";
import { useReauth } from "@/app/_components/reauth";
import { Button, FieldError, Input, Label } from "@/app/_components/ui";
import { confirmMfaEnrolmentAction, disableMfaAction, prepareMfaDisableAction, regenerateRecoveryCodesAction, startMfaEnrolmentAction } from "./mfa-actions";

type Enrolment = { keyText: string; uri: string; qr: { size: number; path: string } };

/** The 6-digit code field (authenticator apps show "123 456": the space is fine). */
function CodeInput({ id, label, error, recovery = false }: { id: string; label: string; error: string | null; recovery?: boolean }) {
  return (
    <div>
      <Label htmlFor={id}>{label}</Label>
      <Input
        id={id}
        name="code"
        type="text"
        inputMode={recovery ? "text" : "numeric"}
        autoComplete={recovery ? "off" : "one-time-code"}
        maxLength={recovery ? 20 : 7}
        placeholder={recovery ? "123456 or xxxx-xxxx-xxxx" : "123456"}
        spellCheck={false}
        autoCapitalize="off"
        required
        className="max-w-56 font-mono tracking-wider"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

/** The QR code: one path drawn from the server's module grid (no markup from elsewhere). */
function QrCode({ qr, label }: { qr: Enrolment["qr"]; label: string }) {
  return (
    <svg
      role="img"
      aria-label={label}
      data-testid="totp-qr"
      viewBox={`0 0 ${qr.size} ${qr.size}`}
      className="size-48 shrink-0 rounded-lg border border-zinc-200 bg-white"
      shapeRendering="crispEdges"
    >
      <rect width={qr.size} height={qr.size} fill="#ffffff" />
      <path d={qr.path} fill="#000000" />
    </svg>
  );
}

/** Recovery codes, shown once: copy, download, and "I have saved them" before going on. */
export function RecoveryCodesView({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const [saved, setSaved] = useState(false);
  const text = `Tessera recovery codes (each works once)\n\n${codes.join("\n")}\n`;
  return (
    <div className="space-y-4" data-testid="recovery-codes">
      <div className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900" role="status">
        Save these recovery codes somewhere safe, such as your password manager. Each one signs you in once if you lose your
        authenticator app. <strong>They are shown only now.</strong>
      </div>
      <ol className="grid max-w-md grid-cols-1 gap-x-6 gap-y-1.5 rounded-lg bg-zinc-50 px-4 py-3 font-mono text-sm text-zinc-900 min-[360px]:grid-cols-2">
        {codes.map((c) => (
          <li key={c} data-testid="recovery-code">
            {c}
          </li>
        ))}
      </ol>
      <div className="flex flex-wrap gap-2">
        <CopyButton value={codes.join("\n")} label="Copy recovery codes" />
        <button
          type="button"
          className="inline-flex items-center gap-1.5 rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-xs font-medium text-zinc-700 shadow-sm hover:bg-zinc-50"
          onClick={() => {
            const url = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
            const a = document.createElement("a");
            a.href = url;
            a.download = "tessera-recovery-codes.txt";
            a.click();
            setTimeout(() => URL.revokeObjectURL(url), 1000);
          }}
        >
          <Download className="size-3.5" aria-hidden /> Download
        </button>
      </div>
      <label className="flex items-start gap-2.5 text-sm">
        <input type="checkbox" checked={saved} onChange={(e) => setSaved(e.target.checked)} className="mt-0.5 size-4 rounded border-zinc-300 accent-brand-600" />
        <span className="text-zinc-800">I have saved my recovery codes</span>
      </label>
      <Button type="button" disabled={!saved} onClick={onDone}>
        Done
      </Button>
    </div>
  );
}

/** "Set up an authenticator app": sudo window, QR code and key, confirmation code, recovery codes. */
export function EnrolMfa() {
  const router = useRouter();
  const reauth = useReauth();
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (codes) {
    return (
      <RecoveryCodesView
        codes={codes}
        onDone={() => {
          setCodes(null);
          router.refresh();
        }}
      />
    );
  }
  if (!enrolment) {
    return (
      <div>
        <Button
          type="button"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            setError(null);
            const r = await reauth.run(() => startMfaEnrolmentAction({}));
            setBusy(false);
            if (r.ok) setEnrolment(r.data);
            else setError(r.error.message);
          }}
        >
          <ShieldCheck className="size-4" aria-hidden /> {busy ? "Preparing…" : "Set up an authenticator app"}
        </Button>
        <FieldError message={error} />
      </div>
    );
  }
  return (
    <div className="flex flex-col gap-5 sm:flex-row sm:items-start" data-testid="mfa-enrolment">
      <QrCode qr={enrolment.qr} label="QR code to scan with your authenticator app" />
      <form
        className="min-w-0 flex-1 space-y-4"
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          setError(null);
          const r = await confirmMfaEnrolmentAction({ code: String(new FormData(e.currentTarget).get("code") ?? "") });
          setBusy(false);
          if (!r.ok) {
            setError(r.error.details?.[0] ? `Code ${r.error.details[0].message}` : r.error.message);
            return;
          }
          setEnrolment(null);
          setCodes(r.data.recoveryCodes);
          toast.success("Second factor turned on");
        }}
      >
        <ol className="list-decimal space-y-3 pl-5 text-sm text-zinc-700">
          <li>Scan the QR code with an authenticator app (1Password, Google Authenticator, Authy, Microsoft Authenticator, …).</li>
          <li>
            Or type this key into the app (time-based, 6 digits):
            <span className="mt-1.5 flex flex-wrap items-center gap-2">
              <code data-testid="totp-key" className="rounded-md bg-zinc-100 px-2 py-1 font-mono text-sm text-zinc-900">
                {enrolment.keyText}
              </code>
              <CopyButton value={enrolment.keyText.replace(/\s+/g, "")} label="Copy key" />
            </span>
          </li>
          <li>Enter the 6-digit code the app shows.</li>
        </ol>
        <CodeInput id="mfa-enrol-code" label="Code from the app" error={error} />
        <div className="flex flex-wrap gap-2">
          <Button type="submit" disabled={busy}>
            {busy ? "Checking…" : "Turn on"}
          </Button>
          <Button
            type="button"
            variant="secondary"
            onClick={() => {
              setEnrolment(null);
              setError(null);
            }}
          >
            Cancel
          </Button>
        </div>
      </form>
    </div>
  );
}

/** "Make new recovery codes": a current code from the app; the old codes stop working. */
export function RegenerateRecoveryCodes() {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const close = (o: boolean) => {
    setOpen(o);
    if (!o) {
      setError(null);
      if (codes) router.refresh();
      setCodes(null);
    }
  };
  return (
    <FormDialog
      open={open}
      onOpenChange={close}
      title={codes ? "Your new recovery codes" : "Make new recovery codes"}
      description={codes ? undefined : "Your current recovery codes stop working. Enter a code from your authenticator app to go on."}
      trigger={
        <Button type="button" variant="secondary">
          Make new recovery codes
        </Button>
      }
    >
      {codes ? (
        <RecoveryCodesView codes={codes} onDone={() => close(false)} />
      ) : (
        <form
          className="space-y-4"
          onSubmit={async (e) => {
            e.preventDefault();
            setBusy(true);
            setError(null);
            const r = await regenerateRecoveryCodesAction({ code: String(new FormData(e.currentTarget).get("code") ?? "") });
            setBusy(false);
            if (!r.ok) setError(r.error.message);
            else setCodes(r.data.recoveryCodes);
          }}
        >
          <CodeInput id="mfa-regenerate-code" label="Code from the app" error={error} />
          <div className="flex justify-end gap-2">
            <Button type="button" variant="secondary" onClick={() => close(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={busy}>
              {busy ? "Checking…" : "Make new codes"}
            </Button>
          </div>
        </form>
      )}
    </FormDialog>
  );
}

/**
 * "Turn off": first the sudo window ("Confirm it's you" when it has passed), then a current code
 * from the app or a recovery code. Workspaces that require a second factor are named: they will
 * refuse the user's password sign-ins until one is set up again.
 */
export function DisableMfa() {
  const router = useRouter();
  const reauth = useReauth();
  const [open, setOpen] = useState(false);
  const [requiredBy, setRequiredBy] = useState<{ id: string; name: string }[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <FormDialog
      open={open}
      onOpenChange={(o) => {
        if (!o) {
          setOpen(false);
          setError(null);
        }
      }}
      title="Turn off the second factor?"
      description="Signing in with your password will no longer ask for a code, and your recovery codes stop working."
      trigger={
        <Button
          type="button"
          variant="secondary"
          disabled={busy}
          onClick={async (e) => {
            // The dialog opens only once the sudo window is open: the code typed next is not spent on "Confirm it's you".
            e.preventDefault();
            setBusy(true);
            const r = await reauth.run(() => prepareMfaDisableAction({}));
            setBusy(false);
            if (!r.ok) {
              if (r.error.code !== "REAUTH_REQUIRED") toast.error(r.error.message);
              return;
            }
            setRequiredBy(r.data.requiredBy);
            setOpen(true);
          }}
        >
          <ShieldOff className="size-4" aria-hidden /> Turn off
        </Button>
      }
    >
      <form
        className="space-y-4"
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          setError(null);
          const r = await reauth.run(() => disableMfaAction({ code: String(new FormData(e.currentTarget).get("code") ?? "") }));
          setBusy(false);
          if (!r.ok) {
            setError(r.error.message);
            return;
          }
          setOpen(false);
          toast.success("Second factor turned off");
          router.refresh();
        }}
      >
        {requiredBy.length > 0 && (
          <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800" data-testid="mfa-disable-warning">
            {requiredBy.length === 1 ? "This workspace requires" : "These workspaces require"} a second factor:{" "}
            <strong>{requiredBy.map((w) => w.name).join(", ")}</strong>. Without one, you cannot open{" "}
            {requiredBy.length === 1 ? "it" : "them"} when you sign in with a password (you stay a member, and setting a factor up
            again lets you back in).
          </div>
        )}
        <CodeInput id="mfa-disable-code" label="Code from the app, or a recovery code" error={error} recovery />
        <div className="flex justify-end gap-2">
          <Button type="button" variant="secondary" onClick={() => setOpen(false)}>
            Cancel
          </Button>
          <Button type="submit" variant="danger" disabled={busy}>
            {busy ? "Checking…" : "Turn off"}
          </Button>
        </div>
      </form>
    </FormDialog>
  );
}
