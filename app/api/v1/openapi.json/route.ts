import { api } from "@/lib/contract";
import { openApiDocument, type OpenApiDocument } from "@/lib/contract/openapi";
import { publicBaseUrl } from "@/lib/config";
import { bind } from "@/lib/http/route";
import pkg from "@/package.json";

export const dynamic = "force-dynamic";

// Built once per process (the contract does not change while it runs; the public URL is read at start).
let cached: OpenApiDocument | undefined;

export const GET = bind(api["openapi.get"], async () => (cached ??= openApiDocument({ serverUrl: publicBaseUrl(), version: pkg.version })));
