"use client";

import { LogOut, MonitorX, Settings, UserCircle } from "lucide-react";
import Link from "next/link";
import { signOut } from "next-auth/react";
import { DropdownMenu } from "radix-ui";
import { MenuContent } from "@/app/_components/menu-content";
import { useState } from "react";
import { toast } from "sonner";
import { signOutEverywhereAction } from "@/app/(dashboard)/actions";
import { ConfirmDialog } from "./dialogs";
import { cn } from "./ui";

export function UserMenu({ email, compact = false }: { email: string; compact?: boolean }) {
  const [confirming, setConfirming] = useState(false);
  return (
    <>
      <DropdownMenu.Root>
        <DropdownMenu.Trigger
          className={cn(
            "flex items-center gap-2 rounded-md text-left text-sm hover:bg-zinc-100",
            compact ? "p-1.5" : "w-full px-2 py-2",
          )}
        >
          <UserCircle className="size-6 shrink-0 text-zinc-500" aria-hidden />
          {/* Named by the address it shows, then what it opens (WCAG 2.5.3, label in name). */}
          {compact ? (
            <span className="sr-only">Account menu</span>
          ) : (
            <span className="min-w-0 truncate text-zinc-700">
              {email}
              <span className="sr-only">: account menu</span>
            </span>
          )}
        </DropdownMenu.Trigger>
        <DropdownMenu.Portal>
          <MenuContent align="end" sideOffset={6} className="z-50 w-64 rounded-lg border border-zinc-200 bg-white p-1 shadow-lg">
            <DropdownMenu.Label className="truncate px-2 py-1.5 text-xs text-zinc-500">Signed in as {email}</DropdownMenu.Label>
            <DropdownMenu.Item asChild className="flex cursor-pointer items-center gap-2 rounded-md px-2 py-2 text-sm outline-none data-[highlighted]:bg-zinc-100">
              <Link href="/account">
                <Settings className="size-4" aria-hidden /> Account settings
              </Link>
            </DropdownMenu.Item>
            <DropdownMenu.Item
              onSelect={() => signOut({ callbackUrl: "/login" })}
              className="flex cursor-pointer items-center gap-2 rounded-md px-2 py-2 text-sm outline-none data-[highlighted]:bg-zinc-100"
            >
              <LogOut className="size-4" aria-hidden /> Sign out
            </DropdownMenu.Item>
            <DropdownMenu.Item
              onSelect={() => setConfirming(true)}
              className="flex cursor-pointer items-center gap-2 rounded-md px-2 py-2 text-sm text-red-700 outline-none data-[highlighted]:bg-red-50"
            >
              <MonitorX className="size-4" aria-hidden /> Sign out everywhere
            </DropdownMenu.Item>
          </MenuContent>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>
      {confirming && (
        <ConfirmDialogOpen
          onClose={() => setConfirming(false)}
          onConfirm={async () => {
            const r = await signOutEverywhereAction({});
            if (!r.ok) {
              toast.error(r.error.message);
              return false;
            }
            toast.success(`Signed out of ${r.data.sessions} session${r.data.sessions === 1 ? "" : "s"}`);
            await signOut({ callbackUrl: "/login" });
          }}
        />
      )}
    </>
  );
}

/** The confirmation, opened from a menu item (menus close before dialogs open). */
function ConfirmDialogOpen({ onClose, onConfirm }: { onClose: () => void; onConfirm: () => Promise<boolean | void> }) {
  return (
    <ConfirmDialog
      defaultOpen
      onOpenChange={(o) => !o && onClose()}
      trigger={<span hidden />}
      title="Sign out everywhere?"
      description="Every session of your account ends at once, on every device and browser, including this one."
      confirmLabel="Sign out everywhere"
      onConfirm={onConfirm}
    />
  );
}
