import Link from "next/link";
import { authErrorMessage } from "../messages";

export const metadata = { title: "Sign-in problem · Tessera" };

export default async function AuthErrorPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const { error } = await searchParams;
  return (
    <>
      <h1 className="text-xl font-semibold text-zinc-900">We could not sign you in</h1>
      <p className="mt-2 text-sm text-zinc-600" role="alert">
        {authErrorMessage(error ?? "Callback")}
      </p>
      <Link href="/login" className="mt-6 inline-block text-sm font-medium text-brand-600 hover:text-brand-700">
        Back to sign in
      </Link>
    </>
  );
}
