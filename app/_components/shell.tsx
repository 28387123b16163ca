// The dashboard shell: sidebar navigation, workspace switcher, user menu, activation banner.
import Link from "next/link";
import { Boxes } from "lucide-react";
import { waitingRequests } from "@/app/(dashboard)/data";
import type { WorkspaceOutput } from "@/lib/schemas/workspace";
import { ActivationBanner } from "./activation-banner";
import { NavLinks } from "./nav-links";
import { UserMenu } from "./user-menu";
import { WorkspaceSwitcher } from "./workspace-switcher";

export type ShellProps = {
  user: { email: string; isPlatformAdmin: boolean };
  workspaces: Pick<WorkspaceOutput, "id" | "name" | "status" | "role">[];
  current: WorkspaceOutput | null;
  children: React.ReactNode;
};

export async function Shell({ user, workspaces, current, children }: ShellProps) {
  const waiting = user.isPlatformAdmin ? await waitingRequests() : null;
  return (
    <div className="min-h-screen md:flex">
      <aside className="border-b border-zinc-200 bg-white md:fixed md:inset-y-0 md:flex md:w-64 md:flex-col md:border-b-0 md:border-r">
        <div className="flex items-center justify-between gap-2 px-4 py-3 md:py-4">
          <Link href="/" className="flex items-center gap-2 font-semibold text-zinc-900">
            <span className="grid size-7 place-items-center rounded-md bg-brand-600 text-white">
              <Boxes className="size-4" aria-hidden />
            </span>
            Tessera
          </Link>
          <div className="md:hidden">
            <UserMenu email={user.email} compact />
          </div>
        </div>
        <div className="px-3 pb-2">
          <WorkspaceSwitcher workspaces={workspaces} currentId={current?.id ?? null} />
        </div>
        <NavLinks workspaceId={current?.id ?? null} role={current?.role ?? null} isPlatformAdmin={user.isPlatformAdmin} waitingRequests={waiting} />
        <div className="mt-auto hidden border-t border-zinc-200 p-3 md:block">
          <UserMenu email={user.email} />
        </div>
      </aside>
      <div className="flex-1 md:pl-64">
        {current && current.status !== "active" && <ActivationBanner workspace={current} isPlatformAdmin={user.isPlatformAdmin} />}
        <main id="main" tabIndex={-1} className="mx-auto max-w-5xl px-4 py-6 outline-none sm:px-6 md:py-8">
          {children}
        </main>
      </div>
    </div>
  );
}
