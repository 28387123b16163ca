"use client";
// DropdownMenu.Content for modal menus. A modal Radix menu hides the rest of the page from screen
// readers with aria-hidden while it stays focusable behind the focus trap, which axe reports as
// "aria-hidden-focus". Here the same elements are also inert while the menu is open: what a screen
// reader cannot see, the keyboard cannot reach.
import { DropdownMenu } from "radix-ui";
import { useLayoutEffect, useRef, type ComponentProps } from "react";

export function MenuContent(props: ComponentProps<typeof DropdownMenu.Content>) {
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const others = [...document.body.children].filter((c) => !c.contains(el) && !c.hasAttribute("inert") && c.tagName !== "SCRIPT");
    others.forEach((c) => c.setAttribute("inert", ""));
    // Synchronous on close (a layout effect), before Radix returns focus to the trigger.
    return () => others.forEach((c) => c.removeAttribute("inert"));
  }, []);
  return <DropdownMenu.Content ref={ref} {...props} />;
}
