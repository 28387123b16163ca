"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { createWorkspaceAction } from "../actions";
import { Button, FieldError, Input, Label } from "@/app/_components/ui";

export function CreateWorkspaceForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="space-y-4"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        const r = await createWorkspaceAction({ name: String(new FormData(e.currentTarget).get("name") ?? "") });
        setBusy(false);
        if (!r.ok) {
          setError(r.error.details?.[0] ? `Name ${r.error.details[0].message}` : r.error.message);
          return;
        }
        toast.success(`Created ${r.data.name}`);
        router.push(`/w/${r.data.id}`);
        router.refresh();
      }}
    >
      <div>
        <Label htmlFor="name">Workspace name</Label>
        <Input id="name" name="name" required maxLength={64} placeholder="e.g. Research cluster" autoFocus aria-invalid={!!error} />
        <FieldError message={error} />
      </div>
      <Button type="submit" disabled={busy}>
        {busy ? "Creating…" : "Create workspace"}
      </Button>
    </form>
  );
}
