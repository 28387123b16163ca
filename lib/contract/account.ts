// The caller's own account: who am I, sign out everywhere.
import { meSchema, signedOutSchema } from "../schemas/account";
import { BEARER_ERRORS, operation } from "./define";
import { EXAMPLE_ME } from "./examples";

const tag = "Account";

export const accountOperations = [
  operation({
    id: "me.get",
    method: "GET",
    path: "/api/v1/me",
    tag,
    summary: "Who am I",
    description:
      "The caller as the server sees it, read at this request: the token (id, kind, name, scopes, its own role, its workload, expiry; never its value), its workspace with the role the token acts with there, and the user a user token acts as (its creator: id, email, name, whether a platform admin now). `user` is null for workspace and workload tokens, which act for no user. Any valid token, whatever its scope.",
    auth: "bearer",
    permission: "authenticated",
    status: 200,
    output: meSchema,
    outputDescription: "The caller.",
    errors: [...BEARER_ERRORS],
    examples: { response: EXAMPLE_ME },
  }),
  operation({
    id: "me.signOutEverywhere",
    method: "POST",
    path: "/api/v1/me/sign-out-everywhere",
    tag,
    summary: "Sign out everywhere",
    description:
      "Ends every dashboard session of the user the token acts as (its creator), on every device, and answers how many were ended. API tokens keep working: cancel them separately. A user token with the `full` scope only: workspace and workload tokens act for no user, and read-only tokens do not write (403). Takes no body. Audited as `user.sessions_revoke`, with the token as the actor.",
    auth: "bearer",
    permission: "authenticated",
    status: 200,
    output: signedOutSchema,
    outputDescription: "The number of sessions ended.",
    errors: [...BEARER_ERRORS, "FORBIDDEN"],
    examples: { response: { sessions: 2 } },
  }),
] as const;
