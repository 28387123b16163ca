"use client";

// The body of the error pages (app/error.tsx, the workspace's error.tsx, app/global-error.tsx).
// A server error reaches the browser without its message (Next.js keeps it on the server) but with
// a digest; the server logs that digest next to the request id (instrumentation.ts), so it is the
// reference a user quotes.
import { TriangleAlert } from "lucide-react";
import { buttonClass } from "./ui";

export function ErrorView({ error, retry, home = "/" }: { error: Error & { digest?: string }; retry?: () => void; home?: string }) {
  return (
    <div data-testid="error-page" role="alert" className="mx-auto flex max-w-md flex-col items-center py-10 text-center">
      <div className="mb-4 rounded-full bg-red-50 p-3 text-red-700">
        <TriangleAlert className="size-6" aria-hidden />
      </div>
      <h1 className="text-2xl font-semibold tracking-tight text-zinc-900">Something went wrong</h1>
      <p className="mt-2 text-sm text-zinc-600">
        This page could not be shown. Nothing you entered was lost by this error; try again, and if it keeps happening, send the
        reference below to whoever runs Tessera for you.
      </p>
      {error.digest ? (
        <p className="mt-4 text-sm text-zinc-700">
          Reference: <code data-testid="error-reference" className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-zinc-900 select-all">{error.digest}</code>
        </p>
      ) : (
        <p className="mt-4 text-sm text-zinc-600">The error happened in your browser; reloading the page usually helps.</p>
      )}
      <div className="mt-6 flex flex-wrap items-center justify-center gap-3">
        {retry && (
          <button type="button" onClick={retry} className={buttonClass("primary")}>
            Try again
          </button>
        )}
        {/* A plain link: a full load, not a client navigation through the router that just failed. */}
        <a href={home} className={buttonClass(retry ? "secondary" : "primary")}>
          Go to the start page
        </a>
      </div>
    </div>
  );
}
