import type { Metadata, Viewport } from "next";
import { Toaster } from "./_components/toaster";
import "./globals.css";

export const metadata: Metadata = {
  title: "Tessera",
  description: "Workspaces, members, tokens and secrets for AI and GPU platforms",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        {children}
        <Toaster />
      </body>
    </html>
  );
}
