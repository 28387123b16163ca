import { Badge, Card, CardBody, CardHeader } from "@/app/_components/ui";
import type { SessionActor } from "@/lib/auth/session";
import { FEW_RECOVERY_CODES, mfaStatus } from "@/lib/services/mfa";
import { formatUtc } from "../w/[workspaceId]/tokens/format";
import { DisableMfa, EnrolMfa, RegenerateRecoveryCodes } from "./mfa-controls";

// Account > Two-factor authentication: an authenticator app (TOTP) asked for after the password at
// sign-in, its recovery codes, and the workspaces that require one. The key and codes are only
// ever in the enrolment's answer (lib/services/mfa.ts).
export async function MfaSection({ actor }: { actor: SessionActor }) {
  const status = await mfaStatus(actor);
  const names = status.requiredBy.map((w) => w.name).join(", ");
  const left = status.recoveryCodesLeft;
  return (
    <section aria-labelledby="account-mfa">
      <Card>
        <CardHeader
          title="Two-factor authentication"
          description={
            status.hasPassword
              ? "A code from an authenticator app, asked for after your password when you sign in."
              : "You sign in with single sign-on, where your identity provider asks for its own second factor. A code from an app can also confirm sensitive actions here."
          }
        >
          <Badge tone={status.enabled ? "green" : "gray"}>{status.enabled ? "On" : "Off"}</Badge>
        </CardHeader>
        <h2 id="account-mfa" className="sr-only">
          Two-factor authentication
        </h2>
        <CardBody className="space-y-4">
          {!status.enabled && status.requiredBy.length > 0 && status.hasPassword && (
            <div role="alert" data-testid="mfa-required-notice" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
              <strong>{names}</strong> {status.requiredBy.length === 1 ? "requires" : "require"} a second factor. Until you set one up, you
              cannot open {status.requiredBy.length === 1 ? "it" : "them"} when you sign in with a password.
            </div>
          )}
          {status.enabled ? (
            <>
              <p className="text-sm text-zinc-700" data-testid="mfa-status">
                An authenticator app is set up{status.enabledAt ? ` (since ${formatUtc(status.enabledAt).slice(0, 10)})` : ""}.
                {status.hasPassword ? " Signing in with your password asks for a code from it." : ""}
              </p>
              <div
                data-testid="recovery-codes-left"
                role={left <= FEW_RECOVERY_CODES ? "alert" : undefined}
                className={
                  left === 0
                    ? "rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800"
                    : left <= FEW_RECOVERY_CODES
                      ? "rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900"
                      : "text-sm text-zinc-600"
                }
              >
                {left === 0
                  ? "You have no recovery codes left. Make new ones, so that losing your phone does not lock you out."
                  : `${left} recovery code${left === 1 ? "" : "s"} left${left <= FEW_RECOVERY_CODES ? ": make new ones soon, so that losing your phone does not lock you out." : "."}`}
              </div>
              <div className="flex flex-wrap gap-2">
                <RegenerateRecoveryCodes />
                <DisableMfa />
              </div>
            </>
          ) : (
            <EnrolMfa />
          )}
        </CardBody>
      </Card>
    </section>
  );
}
