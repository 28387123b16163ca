"use client";

import { BookOpen, FileClock, KeyRound, LayoutDashboard, LockKeyhole, Server, Settings, Shield, Users } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { roleCan, type Permission, type Role } from "@/lib/auth/permissions";
import { cn } from "./ui";

/**
 * The workspace's pages, each with the permission its page needs (the permission table the
 * services check): a role that cannot use a page does not see its link. The page still refuses.
 */
export const NAV_ITEMS: readonly { href: string; label: string; icon: typeof Settings; needs: Permission }[] = [
  { href: "", label: "Overview", icon: LayoutDashboard, needs: "workspace.read" },
  { href: "settings", label: "General", icon: Settings, needs: "workspace.read" },
  { href: "members", label: "Members", icon: Users, needs: "member.read" },
  { href: "tokens", label: "Tokens", icon: KeyRound, needs: "token.read" },
  { href: "secrets", label: "Secrets", icon: LockKeyhole, needs: "secret.read" },
  { href: "workloads", label: "Workloads", icon: Server, needs: "workload.read" },
  { href: "audit", label: "Audit", icon: FileClock, needs: "audit.read" },
];

/** The nav items a role may use (none without a role). */
export function navItemsFor(role: Role | null): typeof NAV_ITEMS {
  return role ? NAV_ITEMS.filter((i) => roleCan(role, i.needs)) : [];
}

export function NavLinks({
  workspaceId,
  role,
  isPlatformAdmin,
  waitingRequests = null,
}: {
  workspaceId: string | null;
  role: Role | null;
  isPlatformAdmin: boolean;
  /** Platform admins: activation requests waiting for review, shown as a badge on the Admin link. */
  waitingRequests?: number | null;
}) {
  const pathname = usePathname();
  const waiting = waitingRequests ?? 0;
  const items = [
    ...(workspaceId
      ? navItemsFor(role).map((i) => ({ ...i, href: i.href ? `/w/${workspaceId}/${i.href}` : `/w/${workspaceId}`, exact: i.href === "", badge: 0 }))
      : []),
    ...(isPlatformAdmin ? [{ href: "/admin", label: "Admin", icon: Shield, exact: false, badge: waiting }] : []),
    { href: "/docs/api", label: "API reference", icon: BookOpen, exact: false, badge: 0 },
  ];
  return (
    <nav aria-label="Main" className="flex gap-1 overflow-x-auto px-3 pb-3 md:flex-col md:overflow-visible">
      {items.map(({ href, label, icon: Icon, exact, badge }) => {
        const active = pathname === href || (!exact && pathname.startsWith(`${href}/`));
        return (
          <Link
            key={href}
            href={href}
            aria-current={active ? "page" : undefined}
            data-testid={href === "/admin" ? "nav-admin" : undefined}
            className={cn(
              "flex shrink-0 items-center gap-2.5 rounded-md px-3 py-2 text-sm font-medium",
              active ? "bg-brand-50 text-brand-700" : "text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900",
            )}
          >
            <Icon className="size-4" aria-hidden />
            {/* Read as "Admin 2 waiting" (flex items are read with a space between). */}
            <span>{label}</span>
            {badge > 0 && (
              <span
                className="ml-auto rounded-full bg-amber-100 px-1.5 py-0.5 text-xs font-semibold tabular-nums text-amber-900 ring-1 ring-amber-200"
                title={`${badge} activation request${badge === 1 ? "" : "s"} waiting`}
              >
                {badge}
                <span className="sr-only"> waiting</span>
              </span>
            )}
          </Link>
        );
      })}
    </nav>
  );
}
