import { AppError } from "@/lib/errors";
import { jsonError } from "@/lib/http/route";
import { requestMeta } from "@/lib/http/request-meta";

export const dynamic = "force-dynamic";

// Any other /api/v1 path – the JSON error envelope rather than an HTML 404 page.
function notFound(req: Request): Response {
  return jsonError(new AppError("NOT_FOUND", "No such API endpoint"), requestMeta(req.headers));
}

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
