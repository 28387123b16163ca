"use client";

// The reset link's page: reads the secret from the fragment (never sent to the server with the
// page, never in a Referer), asks the server whether it still works, then takes the new password
// twice. Success ends every session, so it goes on to sign-in.
import { CircleAlert } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { NewPasswordFields } from "@/app/_components/new-password-fields";
import { Button, FieldError } from "@/app/_components/ui";

type ErrorBody = { error?: { code?: string; message?: string; details?: { path: string; message: string }[] } };
type State = { step: "checking" } | { step: "invalid"; message: string } | { step: "form"; token: string; email: string };

const INVALID = "This link is invalid or has expired. Ask for a new one.";

type Answer = { status: number; body: ErrorBody & Record<string, unknown>; retryAfter: string | null };

async function post(path: string, body: unknown): Promise<Answer> {
  const res = await fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }).catch(() => null);
  return { status: res?.status ?? 0, body: ((await res?.json().catch(() => null)) ?? {}) as ErrorBody, retryAfter: res?.headers.get("retry-after") ?? null };
}

function tooMany(retryAfter: string | null): string {
  return `Too many attempts from your network. Try again in ${Math.max(1, Math.ceil(Number(retryAfter ?? "60") / 60))} min.`;
}

export function ResetPasswordForm({ passwordRule }: { passwordRule: string }) {
  const router = useRouter();
  const [state, setState] = useState<State>({ step: "checking" });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const token = window.location.hash.slice(1);
    // No fragment (the link was cut short): nothing to ask the server.
    const checked = token ? post("/api/password-reset/check", { token }) : Promise.resolve<Answer>({ status: 422, body: {}, retryAfter: null });
    void checked.then((r) => {
      if (r.status === 200 && typeof r.body.email === "string") setState({ step: "form", token, email: r.body.email });
      else setState({ step: "invalid", message: r.status === 429 ? tooMany(r.retryAfter) : r.status === 422 ? INVALID : "The link could not be checked. Reload the page to try again." });
    });
  }, []);

  if (state.step === "checking") {
    return (
      <p role="status" className="text-sm text-zinc-500">
        Checking your link…
      </p>
    );
  }
  if (state.step === "invalid") {
    return (
      <div data-testid="reset-invalid">
        <CircleAlert className="mb-3 size-6 text-zinc-500" aria-hidden />
        <h1 className="text-xl font-semibold text-zinc-900">Reset link not valid</h1>
        <p role="alert" className="mt-2 text-sm text-zinc-600">
          {state.message}
        </p>
        <Link href="/forgot-password" className="mt-4 inline-block text-sm font-medium text-brand-600 hover:text-brand-700">
          Ask for a new link
        </Link>
      </div>
    );
  }
  const { token, email } = state;
  return (
    <>
      <h1 className="text-xl font-semibold text-zinc-900">Choose a new password</h1>
      <p className="mt-1 text-sm text-zinc-500">
        For <span className="font-medium break-all text-zinc-700">{email}</span>. You will be signed out everywhere and sign in again with it.
      </p>
      <form
        className="mt-6 space-y-4"
        onSubmit={async (e) => {
          e.preventDefault();
          const fd = new FormData(e.currentTarget);
          const password = String(fd.get("password") ?? "");
          if (password !== String(fd.get("confirm") ?? "")) {
            setErrors({ confirm: "The two passwords are not the same." });
            return;
          }
          setBusy(true);
          setErrors({});
          const r = await post("/api/password-reset/complete", { token, password });
          if (r.status === 200) {
            // replace: the link (with its fragment) does not stay in this tab's history.
            router.replace("/login?reset=1");
            return;
          }
          setBusy(false);
          if (r.status === 429) return setErrors({ form: tooMany(r.retryAfter) });
          const details = r.body.error?.details ?? [];
          if (details.some((d) => d.path === "token")) return setState({ step: "invalid", message: INVALID });
          const pw = details.find((d) => d.path === "password");
          setErrors(pw ? { password: `Password ${pw.message}` } : { form: r.body.error?.message ?? "Something went wrong. Try again." });
        }}
      >
        {/* For password managers: the account the new password belongs to. */}
        <input type="text" name="username" autoComplete="username" value={email} readOnly hidden />
        <NewPasswordFields
          password={{ id: "password", name: "password", error: errors.password }}
          confirm={{ id: "confirm", name: "confirm", error: errors.confirm }}
          rule={passwordRule}
          autoFocus
        />
        <FieldError message={errors.form} />
        <Button type="submit" className="w-full" disabled={busy}>
          {busy ? "Saving…" : "Set new password"}
        </Button>
      </form>
    </>
  );
}
