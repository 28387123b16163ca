// The "new password" and "confirm new password" pair, with the password rule under the first:
// the reset page and the Account page's change form share it.
import { FieldError, Input, Label } from "./ui";

type Field = { id: string; name: string; error?: string | null };

export function NewPasswordFields({ password, confirm, rule, autoFocus }: { password: Field; confirm: Field; rule: string; autoFocus?: boolean }) {
  return (
    <>
      <div>
        <Label htmlFor={password.id}>New password</Label>
        <Input
          id={password.id}
          name={password.name}
          type="password"
          autoComplete="new-password"
          required
          autoFocus={autoFocus}
          aria-invalid={!!password.error}
          aria-describedby={`${password.id}-rule`}
        />
        <p id={`${password.id}-rule`} className="mt-1.5 text-xs text-zinc-500">
          {rule}
        </p>
        <FieldError message={password.error} />
      </div>
      <div>
        <Label htmlFor={confirm.id}>Confirm new password</Label>
        <Input id={confirm.id} name={confirm.name} type="password" autoComplete="new-password" required aria-invalid={!!confirm.error} />
        <FieldError message={confirm.error} />
      </div>
    </>
  );
}
