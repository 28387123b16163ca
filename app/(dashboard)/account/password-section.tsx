import { Card, CardBody, CardHeader } from "@/app/_components/ui";
import { PASSWORD_RULE } from "@/lib/auth/password";
import type { SessionActor } from "@/lib/auth/session";
import { config } from "@/lib/config";
import { passwordStatus } from "@/lib/services/password";
import { formatUtc, relative } from "../w/[workspaceId]/tokens/format";
import { PasswordForm } from "./password-form";

// Account > Password: change it with the current one. SSO-only users have none here: their
// identity provider manages it.
export async function PasswordSection({ actor }: { actor: SessionActor }) {
  const status = await passwordStatus(actor);
  const sso = config().oidc?.label;
  return (
    <Card aria-label="Password" data-testid="password-section">
      <CardHeader
        title="Password"
        description={
          status.hasPassword ? (
            status.changedAt ? (
              <>
                Last changed <span title={formatUtc(status.changedAt)}>{relative(status.changedAt)}</span>. Changing it signs out your other sessions.
              </>
            ) : (
              "Changing it signs out your other sessions."
            )
          ) : undefined
        }
      />
      <CardBody>
        {status.hasPassword ? (
          <PasswordForm email={actor.email} passwordRule={PASSWORD_RULE} />
        ) : (
          <p className="text-sm text-zinc-600">
            You sign in with single sign-on{sso ? ` (${sso})` : ""}. Your password is managed by your identity provider, not by Tessera.
          </p>
        )}
      </CardBody>
    </Card>
  );
}
