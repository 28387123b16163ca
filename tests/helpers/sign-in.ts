// Email-and-password sign-in over HTTP, as the login form posts it (NextAuth's credentials
// callback with its CSRF token and cookie): for tests of the sign-in limits and for a session
// cookie without a browser.

/** The cookies a response sets, as a Cookie header. */
export function cookiesOf(res: Response): string {
  return (res.headers.getSetCookie?.() ?? []).map((c) => c.split(";")[0]).join("; ");
}

/** One sign-in attempt at `baseUrl`; 200 with the session cookie when it succeeds, 401 or 429 when not. */
export async function postSignIn(baseUrl: string, email: string, password: string, headers: Record<string, string> = {}): Promise<Response> {
  const csrfRes = await fetch(`${baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  return fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookiesOf(csrfRes), origin: baseUrl, ...headers },
    body: new URLSearchParams({ email, password, csrfToken, json: "true" }),
  });
}
