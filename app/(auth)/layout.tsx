import { Boxes } from "lucide-react";

export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return (
    <main id="main" tabIndex={-1} className="flex min-h-screen flex-col items-center justify-center bg-gradient-to-b from-zinc-50 to-zinc-100 px-4 py-12 outline-none">
      <div className="mb-8 flex items-center gap-2 text-lg font-semibold text-zinc-900">
        <span className="grid size-8 place-items-center rounded-md bg-brand-600 text-white">
          <Boxes className="size-5" aria-hidden />
        </span>
        Tessera
      </div>
      <div className="w-full max-w-sm rounded-xl border border-zinc-200 bg-white p-6 shadow-sm sm:p-8">{children}</div>
    </main>
  );
}
