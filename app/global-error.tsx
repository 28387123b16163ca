"use client";

// The last resort: an error in the root layout itself. It replaces the whole document.
import { ErrorView } from "./_components/error-view";
import "./globals.css";

export default function GlobalError({ error }: { error: Error & { digest?: string } }) {
  return (
    <html lang="en">
      <head>
        <title>Error · Tessera</title>
      </head>
      <body className="min-h-screen font-sans">
        <main id="main" className="flex min-h-screen items-center justify-center bg-zinc-50 px-4">
          <ErrorView error={error} />
        </main>
      </body>
    </html>
  );
}
