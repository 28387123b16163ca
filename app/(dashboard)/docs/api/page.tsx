import { Shell } from "@/app/_components/shell";
import { PageHeader } from "@/app/_components/ui";
import { myWorkspaces, requireActor } from "../../data";
import { ApiReference } from "./reference";

export const metadata = { title: "API reference · Tessera" };

const DOCUMENT = "/api/v1/openapi.json";

// The REST API's reference, rendered in the browser by Swagger UI (swagger-ui-dist, bundled with
// the app: no CDN, no remote fonts) from the OpenAPI document that the contract generates.
export default async function ApiReferencePage() {
  const actor = await requireActor();
  const workspaces = await myWorkspaces();
  return (
    <Shell user={{ email: actor.email, isPlatformAdmin: actor.isPlatformAdmin }} workspaces={workspaces} current={null}>
      <PageHeader
        title="API reference"
        description={
          <>
            Every endpoint of the REST API, with its parameters, request and response schemas, examples and errors. Generated from the
            OpenAPI 3.1 document at{" "}
            <a href={DOCUMENT} className="font-mono text-brand-700 underline-offset-2 hover:underline">
              {DOCUMENT}
            </a>
            , which SDK and client generators can read too.
          </>
        }
      />
      <ApiReference url={DOCUMENT} />
    </Shell>
  );
}
