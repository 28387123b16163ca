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
        onSubmit={async (e) => {
          e.preventDefault();
          const fd = new FormData(e.currentTarget);
          setBusy(true);
          setError(null);
          const res = await signIn("credentials", {
            email: String(fd.get("email") ?? ""),
            password: String(fd.get("password") ?? ""),
            redirect: false,
          }).catch(() => null);
          setBusy(false);
          if (!res || res.error || !res.ok) {
            setError(res?.status === 429 ? authErrorMessage("RateLimited") : authErrorMessage(res?.error ?? "CredentialsSignin"));
            return;
          }
          router.push(callbackUrl);
          router.refresh();
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
