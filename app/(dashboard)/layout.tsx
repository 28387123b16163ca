import { ReauthProvider } from "@/app/_components/reauth";
import { config } from "@/lib/config";
import { requireActor } from "./data";

export const dynamic = "force-dynamic";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const actor = await requireActor();
  return (
    <ReauthProvider info={{ authMethod: actor.authMethod, hasMfa: actor.hasMfa === true, ssoAvailable: config().oidc !== null }}>{children}</ReauthProvider>
  );
}
