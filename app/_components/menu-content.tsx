"use client";
// DropdownMenu.Content for modal menus. A modal Radix menu hides the rest of the page from screen
// readers with aria-hidden while it stays focusable behind the focus trap, which axe reports as
// "aria-hidden-focus". Here the same elements are also inert while the menu is open: what a screen
// reader cannot see, the keyboard cannot reach.
import { DropdownMenu } from "radix-ui";
import { useId, useLayoutEffect, type ComponentProps } from "react";

export function MenuContent(props: ComponentProps<typeof DropdownMenu.Content>) {
  const marker = useId();
  // Mounted only while the menu is open (Radix's Presence); the layout effect runs once the
  // menu is in the document and its cleanup runs at once on close, before Radix hands focus back
  // to the trigger.
  useLayoutEffect(() => {
    const menu = document.querySelector(`[data-menu-marker="${CSS.escape(marker)}"]`);
    if (!menu) return;
    const others = [...document.body.children].filter((c) => !c.contains(menu) && !c.hasAttribute("inert") && c.tagName !== "SCRIPT");
    others.forEach((c) => c.setAttribute("inert", ""));
    return () => others.forEach((c) => c.removeAttribute("inert"));
  }, [marker]);
  return <DropdownMenu.Content {...props} data-menu-marker={marker} />;
}
