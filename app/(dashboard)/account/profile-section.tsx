import { Card, CardHeader } from "@/app/_components/ui";
import type { SessionActor } from "@/lib/auth/session";
import { getProfile } from "@/lib/services/profile";
import { VERIFY_LINK_TTL_TEXT } from "@/lib/services/verification";
import { ProfileForm } from "./profile-form";

// Account > Profile: the name, the address and whether it is verified (resend the link, or, on a
// server without mail, who can verify it), and changing the address.
export async function ProfileSection({ actor }: { actor: SessionActor }) {
  const p = await getProfile(actor);
  return (
    <section aria-labelledby="account-profile">
      <Card>
        <CardHeader title="Profile" description="Your name, and the email address you sign in with and receive mail at." />
        <h2 id="account-profile" className="sr-only">
          Profile
        </h2>
        <ProfileForm
          profile={{
            name: p.name ?? "",
            email: p.email,
            verified: p.emailVerifiedAt !== null,
            verifiedAt: p.emailVerifiedAt?.toISOString() ?? null,
            sso: p.sso,
            isPlatformAdmin: p.isPlatformAdmin,
            mailConfigured: p.mailConfigured,
            pendingUntil: p.pending?.expiresAt.toISOString() ?? null,
            linkLifetime: VERIFY_LINK_TTL_TEXT,
          }}
        />
      </Card>
    </section>
  );
}
