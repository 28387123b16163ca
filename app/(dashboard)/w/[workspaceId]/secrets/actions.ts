"use server";

// Server actions of the Secrets page. A value goes in (create, replace, match) and never comes out.
import { z } from "zod";
import { defineAction } from "@/lib/http/action";
import { idSchema } from "@/lib/schemas/common";
import { createSecretSchema, importResultSchema, importSecretsSchema, matchSecretSchema, replaceSecretValueSchema, savedSecretSchema, secretSchema, updateSecretSchema } from "@/lib/schemas/secret";
import { createSecret, deleteSecret, importSecrets, matchSecret, replaceSecretValue, updateSecret } from "@/lib/services/secrets";

const ids = { workspaceId: idSchema, secretId: idSchema };

export const createSecretAction = defineAction({
  input: z.object({ workspaceId: idSchema, secret: createSecretSchema }),
  output: savedSecretSchema,
  handler: (actor, { workspaceId, secret }) => createSecret(actor, workspaceId, secret),
});

export const updateSecretAction = defineAction({
  input: z.object({ ...ids, change: updateSecretSchema }),
  output: secretSchema,
  handler: (actor, { workspaceId, secretId, change }) => updateSecret(actor, workspaceId, secretId, change),
});

export const replaceSecretValueAction = defineAction({
  input: z.object({ ...ids, change: replaceSecretValueSchema }),
  output: savedSecretSchema,
  handler: (actor, { workspaceId, secretId, change }) => replaceSecretValue(actor, workspaceId, secretId, change),
});

export const deleteSecretAction = defineAction({
  input: z.object(ids),
  output: z.object({ id: z.string() }),
  handler: (actor, { workspaceId, secretId }) => deleteSecret(actor, workspaceId, secretId),
});

export const matchSecretAction = defineAction({
  input: z.object({ ...ids, candidate: matchSecretSchema }),
  output: z.object({ match: z.boolean() }),
  handler: (actor, { workspaceId, secretId, candidate }) => matchSecret(actor, workspaceId, secretId, candidate),
});

export const importSecretsAction = defineAction({
  input: z.object({ workspaceId: idSchema, import: importSecretsSchema }),
  output: importResultSchema,
  handler: (actor, { workspaceId, import: input }) => importSecrets(actor, workspaceId, input),
});
