import { PASSWORD_RULE } from "@/lib/auth/password";
import { ResetPasswordForm } from "./form";

export const dynamic = "force-dynamic";
// The link's secret is in the URL fragment (#…), which browsers never send to a server or put in
// a Referer; no-referrer besides, so not even this page's address leaves with a click elsewhere.
export const metadata = { title: "Choose a new password · Tessera", referrer: "no-referrer" };

export default function ResetPasswordPage() {
  return <ResetPasswordForm passwordRule={PASSWORD_RULE} />;
}
