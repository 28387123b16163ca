"use client";

import { KeyRound } from "lucide-react";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button, FieldError, Input, Label } from "@/app/_components/ui";
import { authErrorMessage } from "../messages";

export function LoginForm({
  callbackUrl,
  sso,
  initialError,
}: {
  callbackUrl: string;
  sso: { label: string } | null;
  initialError: string | null;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(initialError);
  const [busy, setBusy] = useState(false);
  // After the right password of an account with a second factor: the code step. The email and
  // password stay in memory only, and go again with the code (sign-in is one request).
  const [pending, setPending] = useState<{ email: string; password: string } | null>(null);
  const [recovery, setRecovery] = useState(false);
  async function submit(email: string, password: string, code?: string) {
    setBusy(true);
    setError(null);
    const res = await signIn("credentials", { email, password, ...(code !== undefined ? { code } : {}), redirect: false }).catch(() => null);
    setBusy(false);
    if (res?.error === "MfaRequired") {
      setPending({ email, password });
      return;
    }
    if (!res || res.error || !res.ok) {
      setError(res?.status === 429 ? authErrorMessage("RateLimited") : authErrorMessage(res?.error ?? "CredentialsSignin"));
      return;
    }
    router.push(callbackUrl);
    router.refresh();
  }
  if (pending) {
    return (
      <form
        className="mt-6 space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          void submit(pending.email, pending.password, String(new FormData(e.currentTarget).get("code") ?? ""));
        }}
      >
        <p className="text-sm text-zinc-600">
          {recovery
            ? "Enter one of the recovery codes you saved when you set up your second factor. Each works once."
            : "Open your authenticator app and enter the 6-digit code it shows for Tessera."}
        </p>
        <div>
          <Label htmlFor="code">{recovery ? "Recovery code" : "Authentication code"}</Label>
          <Input
            key={recovery ? "recovery" : "totp"}
            id="code"
            name="code"
            type="text"
            inputMode={recovery ? "text" : "numeric"}
            autoComplete={recovery ? "off" : "one-time-code"}
            pattern={recovery ? undefined : "[0-9 ]{6,7}"}
            maxLength={recovery ? 20 : 7}
            placeholder={recovery ? "xxxx-xxxx-xxxx" : "123456"}
            spellCheck={false}
            autoCapitalize="off"
            required
            autoFocus
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "code-error" : undefined}
          />
        </div>
        <FieldError id="code-error" message={error} />
        <Button type="submit" className="w-full" disabled={busy}>
          {busy ? "Checking…" : "Verify and sign in"}
        </Button>
        <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
          <button type="button" className="text-brand-700 underline underline-offset-2" onClick={() => {
              setRecovery((r) => !r);
              setError(null);
            }}>
            {recovery ? "Use your authenticator app" : "Use a recovery code"}
          </button>
          <button type="button" className="text-zinc-500 underline underline-offset-2" onClick={() => {
              setPending(null);
              setRecovery(false);
              setError(null);
            }}>
            Start over
          </button>
        </div>
      </form>
    );
  }
  return (
    <div className="mt-6 space-y-6">
      {sso && (
        <>
          <Button type="button" variant="secondary" className="w-full" onClick={() => signIn("oidc", { callbackUrl })}>
            <KeyRound className="size-4" aria-hidden /> Continue with {sso.label}
          </Button>
          <div className="flex items-center gap-3 text-xs uppercase tracking-wide text-zinc-400">
            <span className="h-px flex-1 bg-zinc-200" /> or <span className="h-px flex-1 bg-zinc-200" />
          </div>
        </>
      )}
      <form
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          const fd = new FormData(e.currentTarget);
          void submit(String(fd.get("email") ?? ""), String(fd.get("password") ?? ""));
        }}
      >
        <div>
          <Label htmlFor="email">Email</Label>
          <Input id="email" name="email" type="email" autoComplete="email" required />
        </div>
        <div>
          <Label htmlFor="password">Password</Label>
          <Input id="password" name="password" type="password" autoComplete="current-password" required />
        </div>
        <FieldError message={error} />
        <Button type="submit" className="w-full" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </Button>
      </form>
    </div>
  );
}
