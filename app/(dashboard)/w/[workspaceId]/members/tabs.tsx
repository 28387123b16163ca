import Link from "next/link";
import { cn } from "@/app/_components/ui";

const TABS = [
  { href: "", label: "Members" },
  { href: "/invitations", label: "Invitations" },
  { href: "/roles", label: "Roles and permissions" },
] as const;

/** Sub-navigation of the Members section (links, so each view has its own URL). */
export function MemberTabs({ workspaceId, current }: { workspaceId: string; current: "" | "/invitations" | "/roles" }) {
  return (
    <nav aria-label="Members section" className="mb-5 flex gap-1 overflow-x-auto border-b border-zinc-200">
      {TABS.map((t) => (
        <Link
          key={t.href}
          href={`/w/${workspaceId}/members${t.href}`}
          aria-current={t.href === current ? "page" : undefined}
          className={cn(
            "-mb-px shrink-0 border-b-2 px-3 py-2 text-sm font-medium",
            t.href === current ? "border-brand-600 text-brand-700" : "border-transparent text-zinc-500 hover:text-zinc-900",
          )}
        >
          {t.label}
        </Link>
      ))}
    </nav>
  );
}
