import Link from "next/link";
import { config } from "@/lib/config";
import { PASSWORD_RULE } from "@/lib/auth/password";
import { safeCallback } from "../messages";
import { SignUpForm } from "./form";

export const dynamic = "force-dynamic";
export const metadata = { title: "Create account · Tessera" };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const callbackUrl = safeCallback((await searchParams).callbackUrl);
  if (!config().allowSignup) {
    return (
      <>
        <h1 className="text-xl font-semibold text-zinc-900">Sign-up is closed</h1>
        <p className="mt-2 text-sm text-zinc-500">Ask an administrator of this Tessera server for an invitation.</p>
        <Link href="/login" className="mt-6 inline-block text-sm font-medium text-brand-600">
          Back to sign in
        </Link>
      </>
    );
  }
  return (
    <>
      <h1 className="text-xl font-semibold text-zinc-900">Create your account</h1>
      <p className="mt-1 text-sm text-zinc-500">You get a personal workspace to start with.</p>
      <SignUpForm passwordRule={PASSWORD_RULE} callbackUrl={callbackUrl} />
      <p className="mt-6 text-center text-sm text-zinc-500">
        Already have an account?{" "}
        <Link href={callbackUrl === "/" ? "/login" : `/login?callbackUrl=${encodeURIComponent(callbackUrl)}`} className="font-medium text-brand-600 hover:text-brand-700">
          Sign in
        </Link>
      </p>
    </>
  );
}
