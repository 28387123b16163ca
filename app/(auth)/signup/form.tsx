"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button, FieldError, Input, Label } from "@/app/_components/ui";

type ErrorBody = { error?: { message?: string; details?: { path: string; message: string }[] } };

/**
 * Sign-up answers the same whether the address is new or already has an account (docs/guide.md,
 * "Signing in"), so it never signs anyone in: both cases go on to the sign-in page.
 */
async function signUp(input: { name: string; email: string; password: string }): Promise<{ ok: true } | { ok: false; message: string; details?: { path: string; message: string }[] }> {
  const res = await fetch("/api/signup", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(input) }).catch(() => null);
  if (res?.ok) return { ok: true };
  const body = ((await res?.json().catch(() => null)) ?? {}) as ErrorBody;
  if (res?.status === 429) {
    const minutes = Math.max(1, Math.ceil(Number(res.headers.get("retry-after") ?? "60") / 60));
    return { ok: false, message: `Too many sign-ups from your network. Try again in ${minutes} min.` };
  }
  return { ok: false, message: body.error?.message ?? "Sign-up failed. Try again.", details: body.error?.details };
}

export function SignUpForm({ passwordRule, callbackUrl = "/" }: { passwordRule: string; callbackUrl?: string }) {
  const router = useRouter();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="mt-6 space-y-4"
      onSubmit={async (e) => {
        e.preventDefault();
        const fd = new FormData(e.currentTarget);
        const input = { name: String(fd.get("name") ?? ""), email: String(fd.get("email") ?? ""), password: String(fd.get("password") ?? "") };
        setBusy(true);
        const r = await signUp(input);
        if (!r.ok) {
          setBusy(false);
          const byField = Object.fromEntries((r.details ?? []).map((d) => [d.path, d.message]));
          setErrors(Object.keys(byField).length ? { ...byField, form: "" } : { form: r.message });
          return;
        }
        router.push(`/login?signedUp=1${callbackUrl === "/" ? "" : `&callbackUrl=${encodeURIComponent(callbackUrl)}`}`);
      }}
    >
      <div>
        <Label htmlFor="name">Name</Label>
        <Input id="name" name="name" autoComplete="name" required maxLength={64} aria-invalid={!!errors.name} />
        <FieldError message={errors.name && `Name ${errors.name}`} />
      </div>
      <div>
        <Label htmlFor="email">Work email</Label>
        <Input id="email" name="email" type="email" autoComplete="email" required aria-invalid={!!errors.email} />
        <FieldError message={errors.email && `Email ${errors.email}`} />
      </div>
      <div>
        <Label htmlFor="password">Password</Label>
        <Input id="password" name="password" type="password" autoComplete="new-password" required aria-invalid={!!errors.password} aria-describedby="password-rule" />
        <p id="password-rule" className="mt-1.5 text-xs text-zinc-500">
          {passwordRule}
        </p>
        <FieldError message={errors.password && `Password ${errors.password}`} />
      </div>
      <FieldError message={errors.form} />
      <Button type="submit" className="w-full" disabled={busy}>
        {busy ? "Creating account…" : "Create account"}
      </Button>
    </form>
  );
}
