// Secrets: list, create, read, change, replace the value, delete, and the match check. Values are
// write-only: they go in (create, replace, match) and never come out through the API.
import { z } from "zod";
import { createSecretSchema, importResultSchema, importSecretsSchema, MAX_IMPORT_LINES, matchSecretSchema, replaceSecretValueSchema, savedSecretSchema, secretParamsSchema, secretSchema, updateSecretSchema } from "../schemas/secret";
import { workspaceParamsSchema } from "../schemas/workspace";
import {
  EXAMPLE_LATER,
  EXAMPLE_SECRET,
  EXAMPLE_SECRET_ID,
  EXAMPLE_SECRET_VALUE,
  EXAMPLE_WORKSPACE_ID,
} from "./examples";
import { BEARER_ERRORS, operation } from "./define";

const tag = "Secrets";
const params = { workspaceId: EXAMPLE_WORKSPACE_ID };
const secretParams = { workspaceId: EXAMPLE_WORKSPACE_ID, secretId: EXAMPLE_SECRET_ID };
const BODY_ERRORS = ["VALIDATION_FAILED", "UNSUPPORTED_MEDIA_TYPE", "PAYLOAD_TOO_LARGE"] as const;

/** Who may change which secret (the service's rules, in update, replace and delete). */
const CHANGE_RULES =
  "One's own private secret needs `secret.create`; a public secret, or someone else's, needs `secret.manage`. A secret the caller may not see answers 404, like one that does not exist.";

export const secretOperations = [
  operation({
    id: "secrets.list",
    method: "GET",
    path: "/api/v1/workspaces/{workspaceId}/secrets",
    tag,
    summary: "List secrets",
    description:
      "The secrets the caller may see, by name (at most 2,000): public secrets, the caller's own private ones and, for owners, private secrets whose creator has left or was disabled (`orphaned`, to delete them). Metadata only: values never leave Tessera through the API. A refused attempt is audited as a denied `secret.list`.",
    auth: "bearer",
    permission: "secret.read",
    params: workspaceParamsSchema,
    status: 200,
    output: z.object({ data: z.array(secretSchema).meta({ description: "The secrets, by name." }) }),
    outputDescription: "The secrets the caller may see (metadata only).",
    errors: [...BEARER_ERRORS, "FORBIDDEN", "NOT_FOUND"],
    examples: { params, response: { data: [EXAMPLE_SECRET] } },
  }),
  operation({
    id: "secrets.create",
    method: "POST",
    path: "/api/v1/workspaces/{workspaceId}/secrets",
    tag,
    summary: "Create a secret",
    description:
      "Stores a new secret, encrypted with the workspace's data key. The value is checked against its preset's format (a certain mismatch: 422; an uncertain one: saved, with `warnings`) and is never returned. A private secret (the default) belongs to the user the caller acts as, so it needs a user token and `secret.create`; a public one needs `secret.manage`. A name already used in the workspace answers 409. Audited as `secret.create` (name, preset, visibility, version; never the value); refusals as denied.",
    auth: "bearer",
    permission: "secret.create",
    params: workspaceParamsSchema,
    body: createSecretSchema,
    status: 201,
    output: savedSecretSchema,
    outputDescription: "The new secret's metadata and the preset's warnings (never the value).",
    errors: [...BEARER_ERRORS, "FORBIDDEN", "NOT_FOUND", "CONFLICT", ...BODY_ERRORS],
    examples: {
      params,
      body: { name: "hf-token", preset: "huggingface", value: EXAMPLE_SECRET_VALUE, visibility: "public" },
      response: { secret: { ...EXAMPLE_SECRET, expiresAt: null }, warnings: [] },
    },
  }),
  operation({
    id: "secrets.get",
    method: "GET",
    path: "/api/v1/workspaces/{workspaceId}/secrets/{secretId}",
    tag,
    summary: "Get a secret's metadata",
    description:
      "One secret's metadata, never its value. A secret the caller may not see (someone else's private secret) answers 404, like one that does not exist. A refused attempt is audited as a denied `secret.read`.",
    auth: "bearer",
    permission: "secret.read",
    params: secretParamsSchema,
    status: 200,
    output: secretSchema,
    outputDescription: "The secret's metadata.",
    errors: [...BEARER_ERRORS, "FORBIDDEN", "NOT_FOUND"],
    examples: { params: secretParams, response: EXAMPLE_SECRET },
  }),
  operation({
    id: "secrets.update",
    method: "PATCH",
    path: "/api/v1/workspaces/{workspaceId}/secrets/{secretId}",
    tag,
    summary: "Rename a secret or change its settings",
    description: `Changes the name (the value is re-encrypted under the new name as a new version, in the same transaction), the environment variable name, the visibility or the expiry. ${CHANGE_RULES} Making a secret public needs \`secret.manage\`; only its creator makes a public secret private, and not while workloads use it (409). A former member's private secret can only be deleted (403). A name already used answers 409. Audited as \`secret.update\` (the fields changed; on a rename, the old name and the new version); refusals as denied.`,
    auth: "bearer",
    permission: "secret.manage",
    params: secretParamsSchema,
    body: updateSecretSchema,
    status: 200,
    output: secretSchema,
    outputDescription: "The secret's metadata after the change.",
    errors: [...BEARER_ERRORS, "FORBIDDEN", "NOT_FOUND", "CONFLICT", ...BODY_ERRORS],
    examples: {
      params: secretParams,
      body: { name: "hf-token-prod", envName: "HUGGING_FACE_HUB_TOKEN" },
      response: { ...EXAMPLE_SECRET, name: "hf-token-prod", envName: "HUGGING_FACE_HUB_TOKEN", version: 2, updatedAt: EXAMPLE_LATER },
    },
  }),
  operation({
    id: "secrets.replaceValue",
    method: "PUT",
    path: "/api/v1/workspaces/{workspaceId}/secrets/{secretId}/value",
    tag,
    summary: "Replace a secret's value",
    description: `Stores a new value as the next version, checked against the secret's preset as on create; older versions are deleted (values are write-only, so an old one could never be read again). Workloads that bind the secret get the new value at their next call. ${CHANGE_RULES} A former member's private secret can only be deleted (403). Refused (403, the workloads named) while a workload that binds the secret also holds another member's private secret: only that member may change what the workload gets. Audited as \`secret.value.replace\` (name, version; never the value); refusals as denied. When the workspace's data key reaches its encryption limit, a new one takes over, audited as \`workspace.data_key.rotate\`.`,
    auth: "bearer",
    permission: "secret.manage",
    params: secretParamsSchema,
    body: replaceSecretValueSchema,
    status: 200,
    output: savedSecretSchema,
    outputDescription: "The secret's metadata (with its new version) and the preset's warnings (never the value).",
    errors: [...BEARER_ERRORS, "FORBIDDEN", "NOT_FOUND", ...BODY_ERRORS],
    examples: { params: secretParams, body: { value: EXAMPLE_SECRET_VALUE }, response: { secret: { ...EXAMPLE_SECRET, version: 2, updatedAt: EXAMPLE_LATER }, warnings: [] } },
  }),
  operation({
    id: "secrets.delete",
    method: "DELETE",
    path: "/api/v1/workspaces/{workspaceId}/secrets/{secretId}",
    tag,
    summary: "Delete a secret",
    description: `Deletes the secret and its value. Refused (409, the workloads named) while workloads use it: remove it from them first. ${CHANGE_RULES} Owners also delete former members' private secrets (\`orphaned\`). Audited as \`secret.delete\` (name, visibility, orphaned); refusals as denied.`,
    auth: "bearer",
    permission: "secret.manage",
    params: secretParamsSchema,
    status: 200,
    output: z.object({ id: z.string().meta({ description: "The id of the deleted secret." }) }).meta({ description: "The deleted secret." }),
    outputDescription: "The secret is deleted.",
    errors: [...BEARER_ERRORS, "FORBIDDEN", "NOT_FOUND", "CONFLICT"],
    examples: { params: secretParams, response: { id: EXAMPLE_SECRET_ID } },
  }),
  operation({
    id: "secrets.match",
    method: "POST",
    path: "/api/v1/workspaces/{workspaceId}/secrets/{secretId}/match",
    tag,
    summary: "Check a value against a secret",
    description:
      "Says whether a candidate value equals the stored one, and nothing else (compared in constant time), for example to find out whether a leaked key is this one. For a secret the caller may see (`secret.read`), with a full-scope token: it is an oracle on the value, so read-only tokens get 403. At most 10 checks per caller and secret every 10 minutes: then 429 with Retry-After, audited as a denied `secret.match` (reason `rate_limited`). Audited as `secret.match` with the answer, never the candidate.",
    auth: "bearer",
    permission: "secret.read",
    params: secretParamsSchema,
    body: matchSecretSchema,
    status: 200,
    output: z.object({ match: z.boolean().meta({ description: "Whether the candidate equals the stored value." }) }),
    outputDescription: "Whether the value matches.",
    errors: [...BEARER_ERRORS, "FORBIDDEN", "NOT_FOUND", ...BODY_ERRORS],
    examples: { params: secretParams, body: { value: EXAMPLE_SECRET_VALUE }, response: { match: true } },
  }),
  operation({
    id: "secrets.import",
    method: "POST",
    path: "/api/v1/workspaces/{workspaceId}/secrets/import",
    tag,
    summary: "Import secrets from a dotenv file",
    description: `Creates or replaces many secrets from a dotenv file's text (at most ${MAX_IMPORT_LINES} variables), in one transaction. Each KEY becomes the secret named prefix + KEY, with KEY as its variable name; a new secret's preset is the one whose variable name KEY is (HF_TOKEN: huggingface), else custom, and its value is checked against it. Each line is classified: \`new\`, \`replaced\` (the secret exists and \`replace\` is true), \`skipped\` (it exists and \`replace\` is false) or \`invalid\` (a malformed line, a KEY given twice, a bad name or value, a secret the caller may not change). With \`dryRun\` the classification is the answer and nothing is written (the preview). Otherwise one invalid line answers 422 with every bad line in \`details\` (\`dotenv.line.N\`), and nothing is written. Private secrets (the default) need a user token and \`secret.create\`; public ones \`secret.manage\`; a replace needs what replacing that secret's value needs. No value is ever returned. Audited per secret as \`secret.create\` / \`secret.value.replace\` (\`source: import\`) and once as \`secret.import\` (the names; never a value); refusals as denied \`secret.import\`.`,
    auth: "bearer",
    permission: "secret.create",
    params: workspaceParamsSchema,
    body: importSecretsSchema,
    status: 200,
    output: importResultSchema,
    outputDescription: "Each line's status (never a value), and whether the secrets were written.",
    errors: [...BEARER_ERRORS, "FORBIDDEN", "NOT_FOUND", "CONFLICT", ...BODY_ERRORS],
    examples: {
      params,
      body: { dotenv: `HF_TOKEN=${EXAMPLE_SECRET_VALUE}\nDB_PASSWORD="correct horse battery staple"\n`, dryRun: true, replace: false, visibility: "public", prefix: "" },
      response: {
        dryRun: true,
        applied: false,
        counts: { new: 1, replaced: 0, skipped: 1, invalid: 0 },
        lines: [
          { line: 1, key: "HF_TOKEN", name: "HF_TOKEN", status: "skipped", reason: "a secret of this name exists (replace not chosen)", preset: "huggingface", secretId: EXAMPLE_SECRET_ID, warnings: [] },
          { line: 2, key: "DB_PASSWORD", name: "DB_PASSWORD", status: "new", reason: null, preset: "custom", secretId: null, warnings: [] },
        ],
      },
    },
  }),
] as const;
