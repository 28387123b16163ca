"use client";

// The buttons of Account > Sessions. Ending this browser's own session signs it out here too.
import { signOut } from "next-auth/react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { ConfirmDialog } from "@/app/_components/dialogs";
import { Button } from "@/app/_components/ui";
import { revokeOtherSessionsAction, revokeSessionAction } from "./sessions-actions";

export function EndSession({ sessionId, device, current }: { sessionId: string; device: string; current: boolean }) {
  const router = useRouter();
  return (
    <ConfirmDialog
      trigger={
        <Button variant="secondary" aria-describedby={`session-${sessionId}-device`}>
          End this session
        </Button>
      }
      title="End this session?"
      description={
        current ? (
          <>This is the browser you are using now: you will be signed out here.</>
        ) : (
          <>
            <strong>{device}</strong> is signed out at its next request. Whoever uses it must sign in again.
          </>
        )
      }
      confirmLabel={current ? "End and sign out" : "End session"}
      onConfirm={async () => {
        const r = await revokeSessionAction({ sessionId });
        if (!r.ok) {
          toast.error(r.error.message);
          router.refresh();
          return false;
        }
        if (r.data.current) {
          await signOut({ callbackUrl: "/login" });
          return;
        }
        toast.success("Session ended");
        router.refresh();
      }}
    />
  );
}

export function EndOtherSessions({ count }: { count: number }) {
  const router = useRouter();
  return (
    <ConfirmDialog
      trigger={<Button variant="secondary">End all other sessions</Button>}
      title="End all other sessions?"
      description={`${count === 1 ? "Your other session is" : `Your ${count} other sessions are`} signed out at their next request. This browser stays signed in.`}
      confirmLabel="End other sessions"
      onConfirm={async () => {
        const r = await revokeOtherSessionsAction({});
        if (!r.ok) {
          toast.error(r.error.message);
          return false;
        }
        toast.success(`Ended ${r.data.sessions} session${r.data.sessions === 1 ? "" : "s"}`);
        router.refresh();
      }}
    />
  );
}
