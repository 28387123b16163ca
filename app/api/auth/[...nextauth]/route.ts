import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/next-auth";
import { requestMeta } from "@/lib/http/request-meta";
import { signInBlocked } from "@/lib/services/users";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ nextauth: string[] }> };

// GET/POST /api/auth/* – NextAuth. Password sign-in past the failure limit is refused with 429
// (per account and per address) before NextAuth runs.
async function handler(req: Request, ctx: Ctx): Promise<Response> {
  const url = new URL(req.url);
  if (req.method === "POST" && url.pathname.endsWith("/callback/credentials")) {
    let email = "";
    try {
      email = String((await req.clone().formData()).get("email") ?? "");
    } catch {
      /* not a form: NextAuth answers it */
    }
    const retryAfter = await signInBlocked(email, requestMeta(req.headers).ip);
    if (retryAfter) {
      return Response.json(
        {
          url: `${url.origin}/login?error=RateLimited`,
          error: { code: "RATE_LIMITED", message: "Too many failed sign-in attempts. Try again later." },
        },
        { status: 429, headers: { "retry-after": String(retryAfter) } },
      );
    }
  }
  const nextAuth = NextAuth(authOptions()) as (req: Request, ctx: Ctx) => Promise<Response>;
  return nextAuth(req, ctx);
}

export { handler as GET, handler as POST };
