import Link from "next/link";
import { redirect } from "next/navigation";
import { config } from "@/lib/config";
import { getSessionActor } from "@/lib/auth/session";
import { mailConfigured, VERIFY_LINK_TTL_TEXT } from "@/lib/services/verification";
import { authErrorMessage, safeCallback } from "../messages";
import { LoginForm } from "./form";

export const dynamic = "force-dynamic";
export const metadata = { title: "Sign in · Tessera" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string; signedUp?: string; reset?: string }> }) {
  const { callbackUrl, error, signedUp, reset } = await searchParams;
  const target = safeCallback(callbackUrl);
  if (await getSessionActor()) redirect(target);
  const c = config();
  return (
    <>
      <h1 className="text-xl font-semibold text-zinc-900">Sign in</h1>
      <p className="mt-1 text-sm text-zinc-500">Welcome back to your control plane.</p>
      {signedUp === "1" && (
        // The same words whether the address was new or already had an account (docs/guide.md, "Signing in").
        <p role="status" className="mt-4 rounded-md border border-brand-100 bg-brand-50 px-3 py-2 text-sm text-brand-700">
          If this email address is new here, your account is ready: sign in with it below. If it already had an account,
          nothing was changed and its owner has been told.{" "}
          {mailConfigured()
            ? `A new account must verify its address: open the link we sent to it (it works for ${VERIFY_LINK_TTL_TEXT}).`
            : "Mail is not configured on this server, so a platform admin must verify a new account's address."}
        </p>
      )}
      {reset === "1" && (
        <p role="status" className="mt-4 rounded-md border border-brand-100 bg-brand-50 px-3 py-2 text-sm text-brand-700">
          Your password was reset and every session was signed out. Sign in with your new password.
        </p>
      )}
      <LoginForm callbackUrl={target} sso={c.oidc ? { label: c.oidc.label } : null} initialError={authErrorMessage(error)} />
      <p className="mt-4 text-center text-sm">
        <Link href="/forgot-password" className="font-medium text-brand-600 hover:text-brand-700">
          Forgot your password?
        </Link>
      </p>
      {c.allowSignup && (
        <p className="mt-6 text-center text-sm text-zinc-500">
          No account?{" "}
          <Link href={target === "/" ? "/signup" : `/signup?callbackUrl=${encodeURIComponent(target)}`} className="font-medium text-brand-600 hover:text-brand-700">
            Create one
          </Link>
        </p>
      )}
    </>
  );
}
