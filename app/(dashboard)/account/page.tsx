import { Shell } from "@/app/_components/shell";
import { PageHeader } from "@/app/_components/ui";
import { myWorkspaces, requireActor } from "../data";
import { MfaSection } from "./mfa-section";
import { PasswordSection } from "./password-section";
import { ProfileSection } from "./profile-section";
import { SessionsSection } from "./sessions-section";
import { TokensSection } from "./tokens-section";

export const metadata = { title: "Account · Tessera" };

// The signed-in user's own account: profile and email, password, second factor, sessions, and
// their tokens across workspaces. Each section loads its own data through its service.
export default async function AccountPage() {
  const actor = await requireActor();
  const workspaces = await myWorkspaces();
  return (
    <Shell user={{ email: actor.email, isPlatformAdmin: actor.isPlatformAdmin }} workspaces={workspaces} current={null}>
      <PageHeader title="Account" description="Your profile, how you sign in, where you are signed in, and your API tokens." />
      <div className="space-y-6">
        <ProfileSection actor={actor} />
        <PasswordSection actor={actor} />
        <MfaSection actor={actor} />
        <SessionsSection actor={actor} />
        <TokensSection actor={actor} />
      </div>
    </Shell>
  );
}
