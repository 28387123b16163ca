"use client";

import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { toast } from "sonner";
import { NewPasswordFields } from "@/app/_components/new-password-fields";
import { useReauth } from "@/app/_components/reauth";
import { Button, FieldError, Input, Label } from "@/app/_components/ui";
import { changePasswordAction } from "./password-actions";

const FIELD_LABEL: Record<string, string> = { currentPassword: "Current password", newPassword: "New password" };

/** The change form: through useReauth, so a session outside the sudo window confirms it's you first. */
export function PasswordForm({ email, passwordRule }: { email: string; passwordRule: string }) {
  const router = useRouter();
  const reauth = useReauth();
  const form = useRef<HTMLFormElement>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  return (
    <form
      ref={form}
      className="max-w-md space-y-4"
      onSubmit={async (e) => {
        e.preventDefault();
        const fd = new FormData(e.currentTarget);
        const input = { currentPassword: String(fd.get("currentPassword") ?? ""), newPassword: String(fd.get("newPassword") ?? "") };
        if (input.newPassword !== String(fd.get("confirmPassword") ?? "")) {
          setErrors({ confirmPassword: "The two new passwords are not the same." });
          return;
        }
        setBusy(true);
        setErrors({});
        const r = await reauth.run(() => changePasswordAction(input));
        setBusy(false);
        if (!r.ok) {
          const byField = Object.fromEntries((r.error.details ?? []).filter((d) => d.path in FIELD_LABEL).map((d) => [d.path, `${FIELD_LABEL[d.path]} ${d.message}`]));
          setErrors(Object.keys(byField).length ? byField : { form: r.error.message });
          return;
        }
        form.current?.reset();
        const n = r.data.otherSessionsEnded;
        toast.success(n ? `Password changed. ${n} other session${n === 1 ? " was" : "s were"} signed out.` : "Password changed.");
        router.refresh();
      }}
    >
      {/* For password managers: the account the passwords belong to. */}
      <input type="text" name="username" autoComplete="username" value={email} readOnly hidden />
      <div>
        <Label htmlFor="current-password">Current password</Label>
        <Input
          id="current-password"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
          aria-invalid={!!errors.currentPassword}
          aria-describedby={errors.currentPassword ? "current-password-error" : undefined}
        />
        <FieldError id="current-password-error" message={errors.currentPassword} />
      </div>
      <NewPasswordFields
        password={{ id: "new-password", name: "newPassword", error: errors.newPassword }}
        confirm={{ id: "confirm-password", name: "confirmPassword", error: errors.confirmPassword }}
        rule={passwordRule}
      />
      <FieldError message={errors.form} />
      <Button type="submit" disabled={busy}>
        {busy ? "Changing…" : "Change password"}
      </Button>
    </form>
  );
}
