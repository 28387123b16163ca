"use client";

import { MailCheck } from "lucide-react";
import { useState } from "react";
import { Button, FieldError, Input, Label } from "@/app/_components/ui";

type ErrorBody = { error?: { message?: string; details?: { path: string; message: string }[] } };

export function ForgotPasswordForm() {
  const [sent, setSent] = useState<{ email: string; message: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (sent) {
    return (
      <div role="status" className="mt-6 rounded-md border border-brand-100 bg-brand-50 px-4 py-3 text-sm text-brand-700">
        <MailCheck className="mb-2 size-5 text-brand-600" aria-hidden />
        <p>{sent.message}</p>
        <p className="mt-2 text-zinc-600">
          You asked for <span className="font-medium break-all">{sent.email}</span>. No mail within a few minutes? Check your spam folder, or{" "}
          <button type="button" className="font-medium underline underline-offset-2" onClick={() => setSent(null)}>
            try again
          </button>
          .
        </p>
      </div>
    );
  }
  return (
    <form
      className="mt-6 space-y-4"
      onSubmit={async (e) => {
        e.preventDefault();
        const email = String(new FormData(e.currentTarget).get("email") ?? "");
        setBusy(true);
        setError(null);
        const res = await fetch("/api/password-reset", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email }) }).catch(() => null);
        const body = ((await res?.json().catch(() => null)) ?? {}) as ErrorBody & { message?: string };
        setBusy(false);
        if (res?.status === 202) {
          setSent({ email: email.trim(), message: body.message ?? "" });
          return;
        }
        if (res?.status === 429) {
          const minutes = Math.max(1, Math.ceil(Number(res.headers.get("retry-after") ?? "60") / 60));
          setError(`Too many reset requests. Try again in ${minutes} min.`);
          return;
        }
        const detail = body.error?.details?.find((d) => d.path === "email");
        setError(detail ? `Email ${detail.message}` : (body.error?.message ?? "Something went wrong. Try again."));
      }}
    >
      <div>
        <Label htmlFor="email">Email</Label>
        <Input id="email" name="email" type="email" autoComplete="email" required autoFocus aria-invalid={!!error} aria-describedby={error ? "forgot-error" : undefined} />
        <FieldError id="forgot-error" message={error} />
      </div>
      <Button type="submit" className="w-full" disabled={busy}>
        {busy ? "Sending…" : "Send reset link"}
      </Button>
    </form>
  );
}
