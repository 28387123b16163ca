"use client";

// Sudo mode in the dashboard: a sensitive action that answers REAUTH_REQUIRED opens "Confirm it's
// you" (password, a code from the authenticator app, or a new SSO sign-in), then runs again.
//   const reauth = useReauth();
//   const r = await reauth.run(() => deleteWorkspaceAction(input));
import { signIn } from "next-auth/react";
import { Dialog } from "radix-ui";
import { createContext, useCallback, useContext, useRef, useState } from "react";
import { reauthenticateAction } from "@/app/(dashboard)/account/reauth-actions";
import type { ActionResult } from "@/lib/http/action";
import { Button, FieldError, Input, Label } from "./ui";

type ReauthInfo = { authMethod: "password" | "oidc"; hasMfa: boolean; ssoAvailable: boolean };
type Pending = { resolve: (confirmed: boolean) => void };

const Ctx = createContext<{ info: ReauthInfo; ask: () => Promise<boolean> } | null>(null);

/** Mounted once by the dashboard layout: owns the one "Confirm it's you" dialog. */
export function ReauthProvider({ info, children }: { info: ReauthInfo; children: React.ReactNode }) {
  const [open, setOpen] = useState(false);
  const pending = useRef<Pending | null>(null);
  const ask = useCallback(
    () =>
      new Promise<boolean>((resolve) => {
        pending.current?.resolve(false);
        pending.current = { resolve };
        setOpen(true);
      }),
    [],
  );
  const finish = (confirmed: boolean) => {
    pending.current?.resolve(confirmed);
    pending.current = null;
    setOpen(false);
  };
  return (
    <Ctx.Provider value={{ info, ask }}>
      {children}
      <ReauthDialog info={info} open={open} onDone={finish} />
    </Ctx.Provider>
  );
}

export function useReauth() {
  const ctx = useContext(Ctx);
  /** Runs `action`; on REAUTH_REQUIRED asks the user to confirm, then runs it once more. */
  const run = useCallback(
    async <T,>(action: () => Promise<ActionResult<T>>): Promise<ActionResult<T>> => {
      const first = await action();
      if (first.ok || first.error.code !== "REAUTH_REQUIRED" || !ctx) return first;
      if (!(await ctx.ask())) return { ok: false, error: { code: "REAUTH_REQUIRED", message: "Not confirmed: nothing was changed." } };
      return action();
    },
    [ctx],
  );
  return { run };
}

function ReauthDialog({ info, open, onDone }: { info: ReauthInfo; open: boolean; onDone: (confirmed: boolean) => void }) {
  const [preferCode, setPreferCode] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const sso = info.authMethod === "oidc";
  // An SSO session has no password here: its form (when it has a second factor) takes a code. Read
  // from `info` at each render, so a second factor turned on since the page loaded counts.
  const useCode = sso || (info.hasMfa && preferCode);
  async function submit(form: FormData) {
    setBusy(true);
    setError(null);
    const value = String(form.get("secret") ?? "");
    try {
      const r = await reauthenticateAction(useCode ? { code: value } : { password: value });
      if (r.ok) onDone(true);
      else setError(r.error.message);
    } catch {
      setError("Could not reach the server. Check your connection and try again.");
    } finally {
      setBusy(false);
    }
  }
  return (
    <Dialog.Root
      open={open}
      onOpenChange={(o) => {
        if (!o) {
          setError(null);
          onDone(false);
        }
      }}
    >
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-zinc-900/40" />
        <Dialog.Content className="fixed left-1/2 top-1/2 z-50 w-[calc(100vw-2rem)] max-w-md -translate-x-1/2 -translate-y-1/2 rounded-xl bg-white p-6 shadow-xl">
          <Dialog.Title className="text-lg font-semibold text-zinc-900">Confirm it&apos;s you</Dialog.Title>
          <Dialog.Description className="mt-1 text-sm text-zinc-600">
            This action is sensitive. {sso ? "Sign in again with single sign-on" : "Enter your password"}
            {info.hasMfa ? " or a code from your authenticator app" : ""}; you will not be asked again for 10 minutes.
          </Dialog.Description>
          {(!sso || info.hasMfa) && (
            <form action={submit} className="mt-4 space-y-3">
              <div>
                <Label htmlFor="reauth-secret">{useCode ? "Authenticator code" : "Password"}</Label>
                <Input
                  key={useCode ? "code" : "password"}
                  id="reauth-secret"
                  name="secret"
                  type={useCode ? "text" : "password"}
                  inputMode={useCode ? "numeric" : undefined}
                  autoComplete={useCode ? "one-time-code" : "current-password"}
                  required
                  autoFocus
                  aria-invalid={error ? true : undefined}
                  aria-describedby={error ? "reauth-error" : undefined}
                />
                <FieldError id="reauth-error" message={error} />
              </div>
              {info.hasMfa && !sso && (
                <button type="button" className="text-sm text-brand-700 underline" onClick={() => setPreferCode((c) => !c)}>
                  {useCode ? "Use your password instead" : "Use a code from your authenticator app instead"}
                </button>
              )}
              <div className="flex justify-end gap-2">
                <Button type="button" variant="secondary" onClick={() => onDone(false)}>
                  Cancel
                </Button>
                <Button type="submit" disabled={busy}>
                  {busy ? "Checking…" : "Confirm"}
                </Button>
              </div>
            </form>
          )}
          {sso && !info.ssoAvailable && !info.hasMfa && (
            <p className="mt-4 text-sm text-zinc-700">Single sign-on is not set up on this server now: sign out, then sign in again to continue.</p>
          )}
          {sso && (
            <div className="mt-4 flex justify-end gap-2">
              {!info.hasMfa && (
                <Button type="button" variant="secondary" onClick={() => onDone(false)}>
                  Cancel
                </Button>
              )}
              {info.ssoAvailable && (
                <Button
                  type="button"
                  variant={info.hasMfa ? "secondary" : "primary"}
                  onClick={() => void signIn("oidc", { callbackUrl: window.location.href }, { prompt: "login" })}
                >
                  Sign in again with SSO
                </Button>
              )}
            </div>
          )}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
