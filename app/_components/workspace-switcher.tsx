"use client";

import { Check, ChevronsUpDown, Plus } from "lucide-react";
import { DropdownMenu } from "radix-ui";
import { useRouter } from "next/navigation";
import { Badge, STATUS_TONE } from "./ui";

type Item = { id: string; name: string; status: "pending" | "requested" | "active" | "rejected"; role: string | null };

export function WorkspaceSwitcher({ workspaces, currentId }: { workspaces: Item[]; currentId: string | null }) {
  const router = useRouter();
  const current = workspaces.find((w) => w.id === currentId);
  // Not modal: a modal menu hides the rest of the page with aria-hidden while its links and
  // buttons stay focusable (axe "aria-hidden-focus"). Focus still moves into the menu, and Escape
  // or a click outside closes it.
  return (
    <DropdownMenu.Root modal={false}>
      <DropdownMenu.Trigger
        className="flex w-full items-center justify-between gap-2 rounded-md border border-zinc-200 bg-white px-3 py-2 text-left text-sm shadow-sm hover:bg-zinc-50"
      >
        {/* Named by what it shows ("Workspace Acme"), then what it does: an aria-label that
            left out the visible name would fail WCAG 2.5.3 (label in name). */}
        <span className="min-w-0">
          <span className="block text-xs text-zinc-500">Workspace</span>
          <span className="block truncate font-medium text-zinc-900">
            {current?.name ?? "Choose a workspace"}
            <span className="sr-only">: switch workspace</span>
          </span>
        </span>
        <ChevronsUpDown className="size-4 shrink-0 text-zinc-400" aria-hidden />
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="start"
          sideOffset={6}
          className="z-50 w-72 rounded-lg border border-zinc-200 bg-white p-1 shadow-lg"
        >
          <DropdownMenu.Label className="px-2 py-1.5 text-xs font-medium text-zinc-500">Your workspaces</DropdownMenu.Label>
          {workspaces.map((w) => (
            <DropdownMenu.Item
              key={w.id}
              onSelect={() => router.push(`/w/${w.id}`)}
              className="flex cursor-pointer items-center justify-between gap-2 rounded-md px-2 py-2 text-sm outline-none data-[highlighted]:bg-zinc-100"
            >
              <span className="flex min-w-0 items-center gap-2">
                {w.id === currentId ? <Check className="size-4 text-brand-600" aria-hidden /> : <span className="size-4" />}
                <span className="truncate">{w.name}</span>
              </span>
              {w.status !== "active" && <Badge tone={STATUS_TONE[w.status]}>{w.status}</Badge>}
            </DropdownMenu.Item>
          ))}
          <DropdownMenu.Separator className="my-1 h-px bg-zinc-200" />
          <DropdownMenu.Item
            onSelect={() => router.push("/new")}
            className="flex cursor-pointer items-center gap-2 rounded-md px-2 py-2 text-sm outline-none data-[highlighted]:bg-zinc-100"
          >
            <Plus className="size-4" aria-hidden /> Create workspace
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
