import Link from "next/link";
import { config } from "@/lib/config";
import { ForgotPasswordForm } from "./form";

export const dynamic = "force-dynamic";
export const metadata = { title: "Reset your password · Tessera" };

// "Forgot your password?": a reset link by mail. The answer never says whether the address has an account.
export default function ForgotPasswordPage() {
  const mail = config().smtpUrl !== null;
  return (
    <>
      <h1 className="text-xl font-semibold text-zinc-900">Reset your password</h1>
      <p className="mt-1 text-sm text-zinc-500">Enter the email address you sign in with. We will mail you a link to choose a new password.</p>
      {!mail && (
        // Without SMTP the link could not reach anyone (docs/configuration.md): say so rather than promise a mail.
        <p role="note" className="mt-4 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-800">
          This server does not send mail yet, so no link can reach you. Ask your Tessera administrator to help you back into your account.
        </p>
      )}
      <ForgotPasswordForm />
      <p className="mt-6 text-center text-sm text-zinc-500">
        Remembered it?{" "}
        <Link href="/login" className="font-medium text-brand-600 hover:text-brand-700">
          Back to sign in
        </Link>
      </p>
    </>
  );
}
