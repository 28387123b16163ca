// A real OpenID Connect identity provider for SSO tests: panva's oidc-provider (OpenID
// Certified), in process on a loopback port, with its development login and consent pages.
import type { Server } from "node:http";
import Provider from "oidc-provider";

export type TestIdp = { issuer: string; clientId: string; clientSecret: string; close: () => Promise<void> };

/** Any login name signs in as `<login>@sso.example`; `unverified-*` logins have unverified emails. */
export async function startIdp(port: number, redirectUri: string): Promise<TestIdp> {
  const issuer = `http://localhost:${port}`;
  const clientId = "tessera-test";
  const clientSecret = "tessera-test-secret-0123456789abcdef";
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    scopes: ["openid", "email", "profile"],
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ["tessera-idp-test-key"] },
    async findAccount(_ctx, id) {
      const login = id.toLowerCase();
      return {
        accountId: id,
        async claims() {
          return {
            sub: id,
            email: `${login}@sso.example`,
            email_verified: !login.startsWith("unverified"),
            name: login.charAt(0).toUpperCase() + login.slice(1),
          };
        },
      };
    },
  });
  // Quiet its dev-mode warnings in test output.
  provider.on("server_error", () => {});
  const server: Server = await new Promise((resolve) => {
    const s = provider.listen(port, () => resolve(s));
  });
  return {
    issuer,
    clientId,
    clientSecret,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
