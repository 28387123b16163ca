"use client";

import { BookOpen, ChevronDown, FileClock, KeyRound, LayoutDashboard, LockKeyhole, Server, Settings, Shield, Users } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useRef, useState } from "react";
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

/**
 * The main navigation: a column beside the page from md up. On phones a strip of links would be
 * cut off at the edge with no sign that it scrolls, so there a "Menu" button (a disclosure: it
 * says which page is open, aria-expanded, Escape closes it) opens the same links as a list.
 */
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
  // Open for the page it was opened on: following a link closes it.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === pathname;
  const setOpen = (o: boolean) => setOpenOn(o ? pathname : null);
  const button = useRef<HTMLButtonElement>(null);
  const items = [
    ...(workspaceId
      ? navItemsFor(role).map((i) => ({ ...i, href: i.href ? `/w/${workspaceId}/${i.href}` : `/w/${workspaceId}`, exact: i.href === "", badge: 0 }))
      : []),
    ...(isPlatformAdmin ? [{ href: "/admin", label: "Admin", icon: Shield, exact: false, badge: waiting }] : []),
    { href: "/docs/api", label: "API reference", icon: BookOpen, exact: false, badge: 0 },
  ];
  const isActive = (i: { href: string; exact: boolean }) => pathname === i.href || (!i.exact && pathname.startsWith(`${i.href}/`));
  const current = items.find(isActive);
  return (
    <nav
      aria-label="Main"
      className="px-3 pb-3"
      onKeyDown={(e) => {
        if (e.key === "Escape" && open) {
          setOpen(false);
          button.current?.focus();
        }
      }}
    >
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls="main-nav-list"
        onClick={() => setOpen(!open)}
        className="flex w-full items-center justify-between gap-2 rounded-md border border-zinc-200 bg-white px-3 py-2 text-sm font-medium text-zinc-800 shadow-sm hover:bg-zinc-50 md:hidden"
      >
        <span className="flex min-w-0 items-center gap-2">
          <span>Menu</span>
          {current && <span className="truncate font-normal text-zinc-500">· {current.label}</span>}
        </span>
        <ChevronDown className={cn("size-4 shrink-0 text-zinc-500 transition-transform", open && "rotate-180")} aria-hidden />
      </button>
      <ul id="main-nav-list" className={cn("mt-1 flex-col gap-1 md:mt-0 md:flex", open ? "flex" : "hidden")}>
        {items.map((item) => {
          const { href, label, icon: Icon, badge } = item;
          const active = isActive(item);
          return (
            <li key={href}>
              <Link
                href={href}
                aria-current={active ? "page" : undefined}
                data-testid={href === "/admin" ? "nav-admin" : undefined}
                className={cn(
                  "flex items-center gap-2.5 rounded-md px-3 py-2 text-sm font-medium",
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
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
