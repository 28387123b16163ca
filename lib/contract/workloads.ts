// Workloads: list, create, read, change, delete; and at run time, a workload token's exchange for
// a short-lived credential and that credential's read of the resolved environment.
import { z } from "zod";
import {
  createWorkloadSchema,
  issueCredentialSchema,
  issuedCredentialSchema,
  resolvedEnvSchema,
  updateWorkloadSchema,
  workloadParamsSchema,
  workloadSchema,
} from "../schemas/secret";
import { workspaceParamsSchema } from "../schemas/workspace";
import {
  EXAMPLE_BINDINGS_INPUT,
  EXAMPLE_CREDENTIAL_EXPIRY,
  EXAMPLE_CREDENTIAL_VALUE,
  EXAMPLE_LATER,
  EXAMPLE_SECRET_VALUE,
  EXAMPLE_WORKLOAD,
  EXAMPLE_WORKLOAD_ID,
  EXAMPLE_WORKLOAD_TOKEN_ID,
  EXAMPLE_WORKSPACE_ID,
} from "./examples";
import { BEARER_ERRORS, operation } from "./define";

const tag = "Workloads";
const params = { workspaceId: EXAMPLE_WORKSPACE_ID };
const workloadParams = { workspaceId: EXAMPLE_WORKSPACE_ID, workloadId: EXAMPLE_WORKLOAD_ID };
const BODY_ERRORS = ["VALIDATION_FAILED", "UNSUPPORTED_MEDIA_TYPE", "PAYLOAD_TOO_LARGE"] as const;

/** How the variables of a create or update are checked (the service's authorizeBindings). */
const BINDING_RULES =
  "A variable takes a literal value or a secret: a public one, or the caller's own private one (someone else's private secret answers 422, as one that does not exist would). Code-loading variables (PATH, LD_PRELOAD, NODE_OPTIONS, …) are refused (422) unless the workspace allows them by name (PUT …/workload-env-policy).";

export const workloadOperations = [
  operation({
    id: "workloads.list",
    method: "GET",
    path: "/api/v1/workspaces/{workspaceId}/workloads",
    tag,
    summary: "List workloads",
    description:
      "The workspace's workloads, by name (at most 1,000), with their variables (literal values, and secrets by reference: never their values; another member's private secret without its name) and their workload tokens. A refused attempt is audited as a denied `workload.list`.",
    auth: "bearer",
    permission: "workload.read",
    params: workspaceParamsSchema,
    status: 200,
    output: z.object({ data: z.array(workloadSchema).meta({ description: "The workloads, by name." }) }),
    outputDescription: "The workloads.",
    errors: [...BEARER_ERRORS, "FORBIDDEN", "NOT_FOUND"],
    examples: { params, response: { data: [EXAMPLE_WORKLOAD] } },
  }),
  operation({
    id: "workloads.create",
    method: "POST",
    path: "/api/v1/workspaces/{workspaceId}/workloads",
    tag,
    summary: "Create a workload",
    description: `Creates an endpoint, job or pod with its environment variables, in an active workspace (403 otherwise). ${BINDING_RULES} A name already used in the workspace answers 409. Audited as \`workload.create\` (name, kind, variable names); refusals as denied.`,
    auth: "bearer",
    permission: "workload.write",
    params: workspaceParamsSchema,
    body: createWorkloadSchema,
    status: 201,
    output: workloadSchema,
    outputDescription: "The new workload.",
    errors: [...BEARER_ERRORS, "FORBIDDEN", "NOT_FOUND", "CONFLICT", ...BODY_ERRORS],
    examples: {
      params,
      body: { name: "llama-serve", kind: "endpoint", description: "Llama 3.1 8B inference endpoint", bindings: EXAMPLE_BINDINGS_INPUT },
      response: { ...EXAMPLE_WORKLOAD, tokens: [] },
    },
  }),
  operation({
    id: "workloads.get",
    method: "GET",
    path: "/api/v1/workspaces/{workspaceId}/workloads/{workloadId}",
    tag,
    summary: "Get a workload",
    description:
      "One workload, with its variables (literal values, and secrets by reference: never their values) and its workload tokens. A refused attempt is audited as a denied `workload.read`.",
    auth: "bearer",
    permission: "workload.read",
    params: workloadParamsSchema,
    status: 200,
    output: workloadSchema,
    outputDescription: "The workload.",
    errors: [...BEARER_ERRORS, "FORBIDDEN", "NOT_FOUND"],
    examples: { params: workloadParams, response: EXAMPLE_WORKLOAD },
  }),
  operation({
    id: "workloads.update",
    method: "PATCH",
    path: "/api/v1/workspaces/{workspaceId}/workloads/{workloadId}",
    tag,
    summary: "Change a workload",
    description: `Changes the name, kind, description or variables (\`bindings\` replaces the whole list). ${BINDING_RULES} While the workload holds another member's private secret, only that member may change it (403, the variables named); anyone with \`workload.write\` may remove that secret (with other changes in the same edit), and the workload tokens its creator put on the workload are then unassigned in the same transaction. A name already used answers 409. Audited as \`workload.update\` (the fields changed, the variable names, the tokens unassigned); refusals as denied.`,
    auth: "bearer",
    permission: "workload.write",
    params: workloadParamsSchema,
    body: updateWorkloadSchema,
    status: 200,
    output: workloadSchema,
    outputDescription: "The workload after the change.",
    errors: [...BEARER_ERRORS, "FORBIDDEN", "NOT_FOUND", "CONFLICT", ...BODY_ERRORS],
    examples: {
      params: workloadParams,
      body: { description: "Llama 3.1 8B inference endpoint (production)" },
      response: { ...EXAMPLE_WORKLOAD, description: "Llama 3.1 8B inference endpoint (production)", updatedAt: EXAMPLE_LATER },
    },
  }),
  operation({
    id: "workloads.delete",
    method: "DELETE",
    path: "/api/v1/workspaces/{workspaceId}/workloads/{workloadId}",
    tag,
    summary: "Delete a workload",
    description:
      "Deletes the workload and its variables (not the secrets they name); the workload tokens bound to it are cancelled in the same transaction. Audited as `workload.delete` (name, tokens cancelled); refusals as denied.",
    auth: "bearer",
    permission: "workload.write",
    params: workloadParamsSchema,
    status: 200,
    output: z
      .object({
        id: z.string().meta({ description: "The id of the deleted workload." }),
        tokensCancelled: z.number().int().meta({ description: "How many of its workload tokens were cancelled." }),
      })
      .meta({ description: "The deleted workload." }),
    outputDescription: "The workload is deleted.",
    errors: [...BEARER_ERRORS, "FORBIDDEN", "NOT_FOUND"],
    examples: { params: workloadParams, response: { id: EXAMPLE_WORKLOAD_ID, tokensCancelled: 1 } },
  }),
  operation({
    id: "workloads.issueCredential",
    method: "POST",
    path: "/api/v1/workspaces/{workspaceId}/workloads/{workloadId}/credentials",
    tag,
    summary: "Exchange a workload token for a short-lived credential",
    description:
      "A workload token bound to this workload exchanges itself for a short-lived credential (`tsr_wlc_…`): it lives at most 15 minutes (`ttlSeconds`, never past the token's own expiry) and opens this workload's environment only (GET …/env). The body is optional. Any other caller gets 403: people, user and workspace tokens, workload tokens of other workloads (or cancelled or rebound since), and tokens of a workspace that is not active; a token of another workspace gets 404. Audited as `workload.credential.issue` (expiry and lifetime, never the credential); refusals as denied.",
    auth: "bearer",
    permission: "workload",
    params: workloadParamsSchema,
    body: issueCredentialSchema,
    status: 201,
    output: issuedCredentialSchema,
    outputDescription: "The credential (shown this once) and its expiry.",
    errors: [...BEARER_ERRORS, "FORBIDDEN", "NOT_FOUND", ...BODY_ERRORS],
    examples: {
      params: workloadParams,
      body: { ttlSeconds: 900 },
      response: {
        credential: EXAMPLE_CREDENTIAL_VALUE,
        tokenId: EXAMPLE_WORKLOAD_TOKEN_ID,
        workspaceId: EXAMPLE_WORKSPACE_ID,
        workloadId: EXAMPLE_WORKLOAD_ID,
        expiresAt: EXAMPLE_CREDENTIAL_EXPIRY,
        ttlSeconds: 900,
      },
    },
  }),
  operation({
    id: "workloads.resolveEnv",
    method: "GET",
    path: "/api/v1/workspaces/{workspaceId}/workloads/{workloadId}/env",
    tag,
    summary: "Get a workload's environment",
    description:
      "The workload's resolved environment: its variables with their values, secrets decrypted. Only for a short-lived credential of this workload (`Authorization: Bearer tsr_wlc_…`, from POST …/credentials): no person, user token, workspace token or long-lived workload token ever gets values (403). The credential's parent token is re-read at every call: cancelled, expired or deleted answers 401, rebound to another workload 403. A variable from a private secret is given only to a token its creator minted and put on this workload, and a code-loading variable only where the workspace allows it; the others are left out and listed in `withheld`. A private secret of a former member refuses the whole workload (409) until another secret is bound. Every call is audited as `workload.env.resolve` (variable names, never values); refusals as denied.",
    auth: "workload-credential",
    permission: "workload",
    params: workloadParamsSchema,
    status: 200,
    output: resolvedEnvSchema,
    outputDescription: "The environment, and the variables left out.",
    errors: [...BEARER_ERRORS, "FORBIDDEN", "NOT_FOUND", "CONFLICT"],
    examples: {
      params: workloadParams,
      response: { workloadId: EXAMPLE_WORKLOAD_ID, env: { HF_TOKEN: EXAMPLE_SECRET_VALUE, MODEL_ID: "meta-llama/Llama-3.1-8B-Instruct" }, secrets: ["HF_TOKEN"], withheld: [] },
    },
  }),
] as const;
