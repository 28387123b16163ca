import { redirect } from "next/navigation";
import { ReauthProvider } from "@/app/_components/reauth";
import { getSessionActor } from "@/lib/auth/session";
import { config } from "@/lib/config";
import { DeviceFlow } from "./flow";

export const dynamic = "force-dynamic";
// The code may be in the address (`?code=`): it is not sent on to other sites.
export const metadata = { title: "Device login · Tessera", referrer: "no-referrer" };

/** Only what a user code can look like is carried along (letters, spaces, dashes). */
function codeParam(raw: string | string[] | undefined): string {
  const v = Array.isArray(raw) ? raw[0] : raw;
  return v && /^[A-Za-z -]{1,20}$/.test(v) ? v.toUpperCase() : "";
}

// The approval page of `tessera login --web` (lib/services/device.ts): a signed-in person enters or
// checks the code shown in their terminal, sees which machine asks and for which workspace, and
// approves or denies. Signed out, they sign in first and come back here, code and all.
export default async function DevicePage({ searchParams }: { searchParams: Promise<{ code?: string | string[] }> }) {
  const code = codeParam((await searchParams).code);
  const actor = await getSessionActor();
  if (!actor) redirect(`/login?callbackUrl=${encodeURIComponent(code ? `/device?code=${code}` : "/device")}`);
  return (
    <ReauthProvider info={{ authMethod: actor.authMethod, hasMfa: actor.hasMfa === true, ssoAvailable: config().oidc !== null }}>
      <DeviceFlow initialCode={code} email={actor.email} />
    </ReauthProvider>
  );
}
