"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button, FieldError } from "@/app/_components/ui";
import { verifyEmailAction } from "./actions";

export function ConfirmButton({ token, email }: { token: string; email: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="pt-2">
      <Button
        className="w-full"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setError(null);
          const r = await verifyEmailAction({ token });
          setBusy(false);
          if (!r.ok) setError(r.error.message);
          // The page reads the new state: "verified", or why not.
          router.refresh();
        }}
      >
        {busy ? "Verifying…" : `Verify ${email}`}
      </Button>
      <FieldError message={error} />
    </div>
  );
}
