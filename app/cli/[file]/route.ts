import { serveCliFile } from "@/lib/http/cli-download";

export const dynamic = "force-dynamic";

// GET /cli/tessera.mjs, /cli/tessera-<version>.mjs (and .sha256) – the CLI in one file, public
export async function GET(req: Request, ctx: { params: Promise<{ file: string }> }): Promise<Response> {
  return serveCliFile(req, (await ctx.params).file);
}
