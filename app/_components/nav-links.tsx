"use client";

import { BookOpen, FileClock, KeyRound, LockKeyhole, Server, Settings, Shield, Users } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "./ui";

const ITEMS = [
  { href: "settings", label: "General", icon: Settings },
  { href: "members", label: "Members", icon: Users },
  { href: "tokens", label: "Tokens", icon: KeyRound },
  { href: "secrets", label: "Secrets", icon: LockKeyhole },
  { href: "workloads", label: "Workloads", icon: Server },
  { href: "audit", label: "Audit", icon: FileClock },
];

export function NavLinks({ workspaceId, isPlatformAdmin }: { workspaceId: string | null; isPlatformAdmin: boolean }) {
  const pathname = usePathname();
  const items = [
    ...(workspaceId ? ITEMS.map((i) => ({ ...i, href: `/w/${workspaceId}/${i.href}` })) : []),
    ...(isPlatformAdmin ? [{ href: "/admin", label: "Admin", icon: Shield }] : []),
    { href: "/docs/api", label: "API reference", icon: BookOpen },
  ];
  return (
    <nav aria-label="Main" className="flex gap-1 overflow-x-auto px-3 pb-3 md:flex-col md:overflow-visible">
      {items.map(({ href, label, icon: Icon }) => {
        const active = pathname === href || pathname.startsWith(`${href}/`);
        return (
          <Link
            key={href}
            href={href}
            aria-current={active ? "page" : undefined}
            className={cn(
              "flex shrink-0 items-center gap-2.5 rounded-md px-3 py-2 text-sm font-medium",
              active ? "bg-brand-50 text-brand-700" : "text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900",
            )}
          >
            <Icon className="size-4" aria-hidden />
            {label}
          </Link>
        );
      })}
    </nav>
  );
}
