import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/next-auth";
import { AppError } from "@/lib/errors";
import { jsonError } from "@/lib/http/route";
import { requestMeta } from "@/lib/http/request-meta";
import { signInBlocked } from "@/lib/services/users";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ nextauth: string[] }> };

// GET/POST /api/auth/* – NextAuth. Its browser client always posts forms; anything else is
// refused here with a clear 415 rather than failing inside NextAuth. Password sign-in past
// the failure limit is refused with 429 (per account and per address) before NextAuth runs.
async function handler(req: Request, ctx: Ctx): Promise<Response> {
  const url = new URL(req.url);
  const meta = requestMeta(req.headers);
  if (req.method === "POST") {
    const type = req.headers.get("content-type") ?? "";
    if (!/^application\/x-www-form-urlencoded\b/i.test(type)) {
      return jsonError(new AppError("UNSUPPORTED_MEDIA_TYPE", "Send the form as application/x-www-form-urlencoded"), meta);
    }
    let path = url.pathname;
    try {
      path = decodeURIComponent(path);
    } catch {
      return jsonError(new AppError("BAD_REQUEST", "Malformed path"), meta);
    }
    if (path.endsWith("/callback/credentials")) {
      let email = "";
      try {
        email = String((await req.clone().formData()).get("email") ?? "");
      } catch {
        return jsonError(new AppError("BAD_REQUEST", "The form could not be read"), meta);
      }
      const retryAfter = await signInBlocked(email, meta.ip);
      if (retryAfter) {
        return Response.json(
          {
            url: `${url.origin}/login?error=RateLimited`,
            error: { code: "RATE_LIMITED", message: "Too many failed sign-in attempts. Try again later.", requestId: meta.requestId },
          },
          { status: 429, headers: { "retry-after": String(retryAfter) } },
        );
      }
    }
  }
  const nextAuth = NextAuth(authOptions()) as (req: Request, ctx: Ctx) => Promise<Response>;
  return nextAuth(req, ctx);
}

export { handler as GET, handler as POST };
