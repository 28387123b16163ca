"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button, FieldError, Input, Label } from "@/app/_components/ui";
import { signUpAction } from "./actions";

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
        const r = await signUpAction(input);
        if (!r.ok) {
          setBusy(false);
          const byField = Object.fromEntries((r.details ?? []).map((d) => [d.path, d.message]));
          setErrors(Object.keys(byField).length ? { ...byField, form: "" } : { form: r.message });
          return;
        }
        const res = await signIn("credentials", { email: input.email, password: input.password, redirect: false });
        setBusy(false);
        if (!res?.ok) return setErrors({ form: "Your account was created, but signing in failed. Sign in from the sign-in page." });
        router.push(callbackUrl);
        router.refresh();
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
