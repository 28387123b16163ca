"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { acceptInvitationAction } from "@/app/(dashboard)/w/[workspaceId]/members/actions";
import { Button, FieldError } from "@/app/_components/ui";

export function AcceptButton({ code, workspaceName }: { code: string; workspaceName: string }) {
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
          const res = await acceptInvitationAction({ code });
          if (!res.ok) {
            setBusy(false);
            setError(res.error.message);
            router.refresh();
            return;
          }
          toast.success(`Welcome to ${workspaceName}`);
          router.push(`/w/${res.data.workspaceId}/members`);
          router.refresh();
        }}
      >
        {busy ? "Joining…" : `Accept and join ${workspaceName}`}
      </Button>
      <FieldError message={error} />
    </div>
  );
}
