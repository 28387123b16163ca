// Workspaces: list, read, rename, settings.
import { z } from "zod";
import { renameWorkspaceSchema, workloadEnvPolicySchema, workspaceParamsSchema, workspaceSchema } from "../schemas/workspace";
import { BEARER_ERRORS, operation } from "./define";
import { EXAMPLE_WORKSPACE, EXAMPLE_WORKSPACE_ID } from "./examples";

const tag = "Workspaces";
const params = { workspaceId: EXAMPLE_WORKSPACE_ID };

export const workspaceOperations = [
  operation({
    id: "workspaces.list",
    method: "GET",
    path: "/api/v1/workspaces",
    tag,
    summary: "List workspaces",
    description: "The workspaces the caller can see. A token belongs to one workspace, so a token sees its own.",
    auth: "bearer",
    permission: "authenticated",
    status: 200,
    output: z.object({ data: z.array(workspaceSchema).meta({ description: "The workspaces." }) }),
    outputDescription: "The caller's workspaces.",
    errors: [...BEARER_ERRORS],
    examples: { response: { data: [EXAMPLE_WORKSPACE] } },
  }),
  operation({
    id: "workspaces.get",
    method: "GET",
    path: "/api/v1/workspaces/{workspaceId}",
    tag,
    summary: "Get a workspace",
    description: "A workspace's name, status, activation request, SSO settings and policies.",
    auth: "bearer",
    permission: "workspace.read",
    params: workspaceParamsSchema,
    status: 200,
    output: workspaceSchema,
    outputDescription: "The workspace.",
    errors: [...BEARER_ERRORS, "FORBIDDEN", "NOT_FOUND"],
    examples: { params, response: EXAMPLE_WORKSPACE },
  }),
  operation({
    id: "workspaces.rename",
    method: "PATCH",
    path: "/api/v1/workspaces/{workspaceId}",
    tag,
    summary: "Rename a workspace",
    description: "Changes the workspace's display name. Audited as `workspace.rename`.",
    auth: "bearer",
    permission: "workspace.update",
    params: workspaceParamsSchema,
    body: renameWorkspaceSchema,
    status: 200,
    output: workspaceSchema,
    outputDescription: "The renamed workspace.",
    errors: [...BEARER_ERRORS, "FORBIDDEN", "NOT_FOUND", "VALIDATION_FAILED", "CONFLICT", "UNSUPPORTED_MEDIA_TYPE", "PAYLOAD_TOO_LARGE"],
    examples: { params, body: { name: "ML research" }, response: { ...EXAMPLE_WORKSPACE, name: "ML research" } },
  }),
  operation({
    id: "workspaces.setWorkloadEnvPolicy",
    method: "PUT",
    path: "/api/v1/workspaces/{workspaceId}/workload-env-policy",
    tag,
    summary: "Set the code-loading variables workloads may use",
    description:
      "Code-loading variable names (PATH, LD_PRELOAD, NODE_OPTIONS, …) are refused in workloads unless an admin allows them here, by exact name. Replaces the list. Audited as `workspace.workload_env_policy.update`.",
    auth: "bearer",
    permission: "workspace.update",
    params: workspaceParamsSchema,
    body: workloadEnvPolicySchema,
    status: 200,
    output: workspaceSchema,
    outputDescription: "The workspace with its new list.",
    errors: [...BEARER_ERRORS, "FORBIDDEN", "NOT_FOUND", "VALIDATION_FAILED", "UNSUPPORTED_MEDIA_TYPE", "PAYLOAD_TOO_LARGE"],
    examples: { params, body: { allowedEnvNames: ["LD_LIBRARY_PATH"] }, response: { ...EXAMPLE_WORKSPACE, allowedEnvNames: ["LD_LIBRARY_PATH"] } },
  }),
] as const;
