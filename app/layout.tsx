import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: "Tessera",
  description: "Workspaces, members, tokens and secrets for AI and GPU platforms",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
