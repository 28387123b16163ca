// Tokens: list, create, read, change (renew, reassign, cancel, rename), delete, and the public
// verification endpoint for gateways. A token's value leaves Tessera once: in the creation response.
import { z } from "zod";
import { createdTokenSchema, createTokenSchema, tokenParamsSchema, tokenSchema, updateTokenSchema, verifyResultSchema, verifyTokenSchema } from "../schemas/token";
import { workspaceParamsSchema } from "../schemas/workspace";
import {
  EXAMPLE_API_TOKEN,
  EXAMPLE_API_TOKEN_ID,
  EXAMPLE_CREATED_API_TOKEN,
  EXAMPLE_LATER,
  EXAMPLE_RENEWED_UNTIL,
  EXAMPLE_WORKLOAD_ID,
  EXAMPLE_WORKLOAD_TOKEN,
  EXAMPLE_WORKLOAD_TOKEN_ID,
  EXAMPLE_WORKLOAD_TOKEN_VALUE,
  EXAMPLE_WORKSPACE_ID,
} from "./examples";
import { BEARER_ERRORS, operation } from "./define";

const tag = "Tokens";
const params = { workspaceId: EXAMPLE_WORKSPACE_ID };
const tokenParams = { workspaceId: EXAMPLE_WORKSPACE_ID, tokenId: EXAMPLE_API_TOKEN_ID };
const BODY_ERRORS = ["VALIDATION_FAILED", "UNSUPPORTED_MEDIA_TYPE", "PAYLOAD_TOO_LARGE"] as const;

/** Who may change or delete which token (the service's rules, in tokens.update and tokens.delete). */
const CHANGE_RULES =
  "Workspace and workload tokens, and other people's tokens, need `token.manage`; one's own user tokens need `token.create`, or only `token.read` to cancel or delete them (a credential can always be given up). A read-only token changes no token (403). A token the caller may not see answers 404, like one that does not exist.";

export const tokenOperations = [
  operation({
    id: "tokens.list",
    method: "GET",
    path: "/api/v1/workspaces/{workspaceId}/tokens",
    tag,
    summary: "List tokens",
    description:
      "The tokens the caller may see, newest first (at most 1,000): with `token.manage` (owners and admins) every token of the workspace; otherwise the user tokens of the caller's user. Never a value or its hash. A refused attempt is audited as a denied `token.list`.",
    auth: "bearer",
    permission: "token.read",
    params: workspaceParamsSchema,
    status: 200,
    output: z.object({ data: z.array(tokenSchema).meta({ description: "The tokens, newest first." }) }),
    outputDescription: "The tokens the caller may see.",
    errors: [...BEARER_ERRORS, "FORBIDDEN", "NOT_FOUND"],
    examples: { params, response: { data: [EXAMPLE_API_TOKEN, EXAMPLE_WORKLOAD_TOKEN] } },
  }),
  operation({
    id: "tokens.create",
    method: "POST",
    path: "/api/v1/workspaces/{workspaceId}/tokens",
    tag,
    summary: "Create a token",
    description:
      "Creates a workspace token (it acts with its own `role`, never above the caller's) or a workload token (bound to `workloadId`, or unassigned), in an active workspace, with `token.manage`. The value is in this response only: Tessera keeps a keyed hash. User tokens are created by signed-in users for themselves, in the dashboard: over the API `kind: \"user\"` (the default) answers 403. The `platform` scope (platform administration) is for user tokens only (422 here) and only a platform admin may ask for it (403 otherwise, audited); only its creator may later renew or rename such a token (others with `token.manage` may cancel or delete it). The lifetime is at most the workspace's maximum token lifetime (422 beyond it). Audited as `token.create` (kind, name, scopes, expiry, workload; never the value); refusals as denied.",
    auth: "bearer",
    permission: "token.manage",
    params: workspaceParamsSchema,
    body: createTokenSchema,
    status: 201,
    output: createdTokenSchema,
    outputDescription: "The new token, with its value (shown this once).",
    errors: [...BEARER_ERRORS, "FORBIDDEN", "NOT_FOUND", ...BODY_ERRORS],
    examples: {
      params,
      body: { kind: "workspace", name: "ci-deploy", description: "GitHub Actions: deploys the inference endpoints", expiresInDays: 90, scopes: ["full"], role: "member" },
      response: EXAMPLE_CREATED_API_TOKEN,
    },
  }),
  operation({
    id: "tokens.get",
    method: "GET",
    path: "/api/v1/workspaces/{workspaceId}/tokens/{tokenId}",
    tag,
    summary: "Get a token",
    description:
      "One token, never its value. Any token of the workspace with `token.manage`; one's own user tokens with `token.read`. A token the caller may not see answers 404, like one that does not exist. A refused attempt is audited as a denied `token.read`.",
    auth: "bearer",
    permission: "token.manage",
    params: tokenParamsSchema,
    status: 200,
    output: tokenSchema,
    outputDescription: "The token.",
    errors: [...BEARER_ERRORS, "FORBIDDEN", "NOT_FOUND"],
    examples: { params: tokenParams, response: EXAMPLE_API_TOKEN },
  }),
  operation({
    id: "tokens.update",
    method: "PATCH",
    path: "/api/v1/workspaces/{workspaceId}/tokens/{tokenId}",
    tag,
    summary: "Renew, reassign, cancel or rename a token",
    description: `One change, by \`action\`: \`renew\` sets a new expiry (from now, within the workspace's maximum token lifetime; the value stays the same); \`reassign\` binds a workload token to another workload, or to none (the caller becomes its binder, so it no longer opens another member's private secret there); \`cancel\` stops the token at once and for good (cancelling it again changes nothing); \`rename\` changes its name and description. ${CHANGE_RULES} A cancelled token cannot be renewed or reassigned (409), and only workload tokens are reassigned (400). Audited as \`token.renew\`, \`token.reassign\` (from, to), \`token.cancel\` or \`token.rename\`; refusals as denied.`,
    auth: "bearer",
    permission: "token.manage",
    params: tokenParamsSchema,
    body: updateTokenSchema,
    status: 200,
    output: tokenSchema,
    outputDescription: "The token after the change.",
    errors: [...BEARER_ERRORS, "FORBIDDEN", "NOT_FOUND", "CONFLICT", ...BODY_ERRORS],
    examples: { params: tokenParams, body: { action: "renew", expiresInDays: 30 }, response: { ...EXAMPLE_API_TOKEN, expiresAt: EXAMPLE_RENEWED_UNTIL } },
  }),
  operation({
    id: "tokens.delete",
    method: "DELETE",
    path: "/api/v1/workspaces/{workspaceId}/tokens/{tokenId}",
    tag,
    summary: "Delete a token",
    description: `Deletes a token: it stops working at once, and leaves the lists. ${CHANGE_RULES} Audited as \`token.delete\` (kind, name); refusals as denied.`,
    auth: "bearer",
    permission: "token.manage",
    params: tokenParamsSchema,
    status: 200,
    output: z.object({ id: z.string().meta({ description: "The id of the deleted token." }) }).meta({ description: "The deleted token." }),
    outputDescription: "The token is deleted.",
    errors: [...BEARER_ERRORS, "FORBIDDEN", "NOT_FOUND"],
    examples: { params: tokenParams, response: { id: EXAMPLE_API_TOKEN_ID } },
  }),
  operation({
    id: "tokens.verify",
    method: "POST",
    path: "/api/v1/tokens/verify",
    tag,
    summary: "Verify a token",
    description:
      "For gateways and proxies: is this token valid, and whose is it (workspace and its status, kind, workload, scopes, expiry)? With `workloadId`, also whether it may be used for that workload. Takes no credential. The same checks as Bearer authentication: an invalid token is an answer (`valid: false` and the reason), not an error. Each invalid token counts toward the caller's address limit, past which the answer is 429 (with Retry-After); a valid token is always answered, and its last use is noted. Not audited.",
    auth: "none",
    permission: "public",
    body: verifyTokenSchema,
    status: 200,
    output: verifyResultSchema,
    outputDescription: "Whether the token is valid: whose it is, or why not.",
    errors: ["RATE_LIMITED", ...BODY_ERRORS],
    examples: {
      body: { token: EXAMPLE_WORKLOAD_TOKEN_VALUE, workloadId: EXAMPLE_WORKLOAD_ID },
      response: {
        valid: true,
        tokenId: EXAMPLE_WORKLOAD_TOKEN_ID,
        workspaceId: EXAMPLE_WORKSPACE_ID,
        workspaceStatus: "active",
        kind: "workload",
        workloadId: EXAMPLE_WORKLOAD_ID,
        scopes: ["full"],
        expiresAt: EXAMPLE_LATER,
      },
    },
  }),
] as const;
