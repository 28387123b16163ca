"use client";

// An error while rendering any page outside a workspace's pages (and in the workspace layout itself).
import { ErrorView } from "./_components/error-view";

export default function RootError({ error, retry }: { error: Error & { digest?: string }; retry: () => void }) {
  return (
    <main id="main" tabIndex={-1} className="flex min-h-screen items-center justify-center bg-zinc-50 px-4 outline-none">
      <div className="w-full max-w-lg rounded-xl border border-zinc-200 bg-white px-6 shadow-sm">
        <ErrorView error={error} retry={retry} />
      </div>
    </main>
  );
}
