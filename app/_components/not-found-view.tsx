// The body of every 404: what happened, in words that do not say whether the thing exists (a
// workspace of someone else's answers exactly like one that never existed), and ways back.
import { SearchX } from "lucide-react";
import Link from "next/link";
import { buttonClass } from "./ui";

export type WayBack = { href: string; label: string };

export function NotFoundView({ primary, secondary = [] }: { primary: WayBack; secondary?: WayBack[] }) {
  return (
    <div data-testid="not-found" className="mx-auto flex max-w-md flex-col items-center py-10 text-center">
      <div className="mb-4 rounded-full bg-zinc-100 p-3 text-zinc-500">
        <SearchX className="size-6" aria-hidden />
      </div>
      <p className="text-sm font-medium text-brand-700">404</p>
      <h1 className="mt-1 text-2xl font-semibold tracking-tight text-zinc-900">Page not found</h1>
      <p className="mt-2 text-sm text-zinc-600">
        There is nothing at this address, or it is not shared with you. Check the link, or go back and pick it from the list.
      </p>
      <div className="mt-6 flex flex-wrap items-center justify-center gap-3">
        <Link href={primary.href} className={buttonClass("primary")}>
          {primary.label}
        </Link>
        {secondary.map((w) => (
          <Link key={w.href} href={w.href} className={buttonClass("secondary")}>
            {w.label}
          </Link>
        ))}
      </div>
    </div>
  );
}
