import type { Metadata, Viewport } from "next";
import { SkipLink } from "./_components/skip-link";
import { Toaster } from "./_components/toaster";
import "./globals.css";

export const metadata: Metadata = {
  title: "Tessera",
  description: "Workspaces, members, tokens and secrets for AI and GPU platforms",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

// Every page is rendered per request (they read the session), and so is the 404 page: the CSP's
// script nonce (proxy.ts) must be on the scripts of each response, which a page prerendered at
// build time cannot carry.
export const dynamic = "force-dynamic";

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <SkipLink />
        {children}
        <Toaster />
      </body>
    </html>
  );
}
