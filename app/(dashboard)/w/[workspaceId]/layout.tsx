import { ShieldAlert, ShieldCheck } from "lucide-react";
import Link from "next/link";
import { Shell } from "@/app/_components/shell";
import { buttonClass, EmptyState } from "@/app/_components/ui";
import { currentWorkspace, myWorkspaces, requireActor } from "../../data";

export default async function WorkspaceLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ workspaceId: string }>;
}) {
  const { workspaceId } = await params;
  const actor = await requireActor();
  const [load, workspaces] = await Promise.all([currentWorkspace(workspaceId), myWorkspaces()]);
  const user = { email: actor.email, isPlatformAdmin: actor.isPlatformAdmin };
  if (!load.ok && load.reason === "mfa") {
    // A password member without a second factor (authorize.ts refuses every service call): what to do, not a bare 403.
    return (
      <Shell user={user} workspaces={workspaces} current={null}>
        <div data-testid="mfa-required">
          <EmptyState
            icon={<ShieldCheck className="size-5" />}
            title="This workspace requires a second factor"
            description={
              <>
                <strong className="font-medium text-zinc-700">{load.workspaceName ?? "This workspace"}</strong> asks members who sign in with a password
                to use an authenticator app as a second factor. Set one up in your account settings (it takes a minute), then come back.
                {" "}Your membership and role are unchanged.
              </>
            }
          >
            <Link href="/account" className={buttonClass("primary")}>
              Set up a second factor
            </Link>
          </EmptyState>
        </div>
      </Shell>
    );
  }
  if (!load.ok) {
    return (
      <Shell user={user} workspaces={workspaces} current={null}>
        <EmptyState
          icon={<ShieldAlert className="size-5" />}
          title={load.reason === "sso" ? "Single sign-on required" : "You cannot open this workspace"}
          description={load.message}
        />
      </Shell>
    );
  }
  return (
    <Shell user={user} workspaces={workspaces} current={load.workspace}>
      {children}
    </Shell>
  );
}
