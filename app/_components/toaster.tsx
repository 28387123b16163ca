"use client";

import { Toaster as Sonner } from "sonner";

// Sonner's rich colours put text at about 4.3:1 on its tinted backgrounds; these darker shades of
// the same hues reach WCAG AA's 4.5:1 (axe "color-contrast").
const READABLE = {
  "--success-text": "hsl(140, 100%, 22%)",
  "--info-text": "hsl(210, 92%, 38%)",
  "--warning-text": "hsl(31, 92%, 28%)",
  "--error-text": "hsl(360, 100%, 40%)",
} as React.CSSProperties;

export function Toaster() {
  return <Sonner position="bottom-right" richColors closeButton style={READABLE} />;
}
