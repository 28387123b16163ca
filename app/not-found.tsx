// The 404 of every unknown address and of notFound() outside a workspace's pages (an unknown or
// foreign workspace id included: its layout answers 404 before anything of it renders). Signed in,
// it shows in the dashboard shell; signed out, in the sign-in pages' frame.
import { Boxes } from "lucide-react";
import type { Metadata } from "next";
import { currentActor, myWorkspaces } from "./(dashboard)/data";
import { NotFoundView } from "./_components/not-found-view";
import { Shell } from "./_components/shell";

export const metadata: Metadata = { title: "Page not found · Tessera" };

export default async function NotFound() {
  const actor = await currentActor();
  if (!actor) {
    return (
      <main id="main" tabIndex={-1} className="flex min-h-screen flex-col items-center justify-center bg-gradient-to-b from-zinc-50 to-zinc-100 px-4 py-12 outline-none">
        <div className="mb-6 flex items-center gap-2 text-lg font-semibold text-zinc-900">
          <span className="grid size-8 place-items-center rounded-md bg-brand-600 text-white">
            <Boxes className="size-5" aria-hidden />
          </span>
          Tessera
        </div>
        <div className="w-full max-w-md rounded-xl border border-zinc-200 bg-white px-6 shadow-sm">
          <NotFoundView primary={{ href: "/login", label: "Sign in" }} />
        </div>
      </main>
    );
  }
  const workspaces = await myWorkspaces();
  const [first] = workspaces;
  return (
    <Shell user={{ email: actor.email, isPlatformAdmin: actor.isPlatformAdmin }} workspaces={workspaces} current={null}>
      <NotFoundView
        primary={first ? { href: `/w/${first.id}`, label: `Go to ${first.name}` } : { href: "/new", label: "Create a workspace" }}
        secondary={[{ href: "/account", label: "Your account" }]}
      />
    </Shell>
  );
}
