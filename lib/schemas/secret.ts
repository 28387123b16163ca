// zod schemas of secrets and workloads. The output schemas list every field that may leave: a
// secret's value, ciphertext, nonce or key never can.
import { z } from "zod";
import { PRESETS } from "../secrets/presets";
import { idSchema, isoDate, visibleText } from "./common";

export const secretNameSchema = z
  .string({ error: "must be a string" })
  .trim()
  .min(1, "must not be empty")
  .max(64, "must be at most 64 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "may contain letters, digits, '.', '_' and '-' (starting with a letter or digit)");

export const envNameSchema = z
  .string({ error: "must be a string" })
  .trim()
  .min(1, "must not be empty")
  .max(128, "must be at most 128 characters")
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an environment variable name (letters, digits and '_', not starting with a digit)");

export const MAX_VALUE_BYTES = 64 * 1024;
export const secretValueSchema = z
  .string({ error: "must be a string" })
  .min(1, "must not be empty")
  .refine((v) => Buffer.byteLength(v) <= MAX_VALUE_BYTES, `must be at most ${MAX_VALUE_BYTES / 1024} KiB`)
  .refine((v) => !v.includes("\u0000"), "must not contain NUL characters");

/** A registry login may be sent as an object; it is stored as one JSON value. */
export const registryLoginSchema = z.strictObject({ server: z.string().max(253), username: z.string().max(256), password: z.string().max(4096) });
const valueInput = z.union([secretValueSchema, registryLoginSchema.transform((o) => JSON.stringify(o))], {
  error: "must be a string (or, for a registry login, an object with server, username and password)",
});

/** An ISO date-time (or a Date: services re-parse what a transport already parsed). */
const futureDate = z
  .union([z.iso.datetime({ offset: true }).transform((v) => new Date(v)), z.date()], { error: "must be an ISO date and time, e.g. 2027-01-31T00:00:00Z" })
  .refine((d) => d.getTime() > Date.now(), "must be in the future");

export const VISIBILITIES = ["private", "public"] as const;

export const createSecretSchema = z.strictObject({
  name: secretNameSchema,
  preset: z.enum(PRESETS, { error: `must be one of ${PRESETS.join(", ")}` }).default("custom"),
  value: valueInput,
  visibility: z.enum(VISIBILITIES, { error: "must be private or public" }).default("private"),
  envName: envNameSchema.optional(),
  expiresAt: futureDate.nullable().optional(),
});
export type CreateSecretInput = z.input<typeof createSecretSchema>;

export const updateSecretSchema = z
  .strictObject({
    name: secretNameSchema.optional(),
    envName: envNameSchema.nullable().optional(),
    visibility: z.enum(VISIBILITIES, { error: "must be private or public" }).optional(),
    expiresAt: futureDate.nullable().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, "must change at least one of name, envName, visibility, expiresAt");
export type UpdateSecretInput = z.input<typeof updateSecretSchema>;

export const replaceSecretValueSchema = z.strictObject({ value: valueInput });
export const matchSecretSchema = z.strictObject({ value: z.union([z.string().max(MAX_VALUE_BYTES * 2), registryLoginSchema.transform((o) => JSON.stringify(o))]) });

export const secretParamsSchema = z.object({ workspaceId: idSchema, secretId: idSchema });

export const EXPIRES_SOON_DAYS = 14;

export const secretSchema = z.object({
  id: z.string(),
  workspaceId: z.string(),
  name: z.string(),
  preset: z.enum(PRESETS),
  envName: z.string().nullable(),
  visibility: z.enum(VISIBILITIES),
  version: z.number().int(),
  createdById: z.string().nullable(),
  /** A private secret whose creator is no longer a member: only owners see it, to delete it. */
  orphaned: z.boolean(),
  expiresAt: isoDate.nullable(),
  expired: z.boolean(),
  expiresSoon: z.boolean(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type SecretOutput = z.output<typeof secretSchema>;

/** Create and replace answer with the metadata and the preset's warnings (never the value). */
export const savedSecretSchema = z.object({ secret: secretSchema, warnings: z.array(z.string()) });

// ---- Workloads --------------------------------------------------------------------------------

export const WORKLOAD_KINDS = ["endpoint", "job", "pod"] as const;

export const workloadNameSchema = z
  .string({ error: "must be a string" })
  .trim()
  .min(1, "must not be empty")
  .max(63, "must be at most 63 characters (a DNS label)")
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a DNS label: lower-case letters, digits and '-', starting and ending with a letter or digit");

const descriptionSchema = visibleText(z.string().trim().max(500, "must be at most 500 characters"), { multiline: true });

export const bindingInputSchema = z.union([
  z.strictObject({ envName: envNameSchema, value: z.string().max(MAX_VALUE_BYTES, "must be at most 64 KiB").refine((v) => !v.includes("\u0000"), "must not contain NUL characters") }),
  z.strictObject({ envName: envNameSchema, secretId: idSchema }),
]);
export const MAX_BINDINGS = 200;
const bindingsSchema = z
  .array(bindingInputSchema)
  .max(MAX_BINDINGS, `must have at most ${MAX_BINDINGS} variables`)
  .refine((b) => new Set(b.map((x) => x.envName)).size === b.length, "must not name the same variable twice");

export const createWorkloadSchema = z.strictObject({
  name: workloadNameSchema,
  kind: z.enum(WORKLOAD_KINDS, { error: "must be endpoint, job or pod" }),
  description: descriptionSchema.optional(),
  bindings: bindingsSchema.default([]),
});
export type CreateWorkloadInput = z.input<typeof createWorkloadSchema>;

export const updateWorkloadSchema = z
  .strictObject({
    name: workloadNameSchema.optional(),
    kind: z.enum(WORKLOAD_KINDS, { error: "must be endpoint, job or pod" }).optional(),
    description: descriptionSchema.nullable().optional(),
    bindings: bindingsSchema.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, "must change at least one of name, kind, description, bindings");
export type UpdateWorkloadInput = z.input<typeof updateWorkloadSchema>;

export const workloadParamsSchema = z.object({ workspaceId: idSchema, workloadId: idSchema });

export const bindingSchema = z.object({
  envName: z.string(),
  /** Literal values are configuration, not secrets: they are shown. */
  value: z.string().nullable(),
  /** formerMember: a private secret whose creator has left (or was disabled); the env endpoint refuses the workload until it is rebound. */
  /** name: null for another member's private secret (its name is theirs, like the secret itself). */
  secret: z.object({ id: z.string(), name: z.string().nullable(), visibility: z.enum(VISIBILITIES), formerMember: z.boolean() }).nullable(),
});

export const workloadSchema = z.object({
  id: z.string(),
  workspaceId: z.string(),
  name: z.string(),
  kind: z.enum(WORKLOAD_KINDS),
  description: z.string().nullable(),
  bindings: z.array(bindingSchema),
  tokens: z.array(z.object({ id: z.string(), name: z.string(), partialKey: z.string(), status: z.string(), expiresAt: isoDate })),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type WorkloadOutput = z.output<typeof workloadSchema>;

/** POST …/workloads/{id}/credentials: an optional shorter lifetime (SEC-14: at most 15 minutes). */
export const issueCredentialSchema = z
  .strictObject({
    ttlSeconds: z
      .number({ error: "ttlSeconds must be a whole number of seconds" })
      .int("ttlSeconds must be a whole number of seconds")
      .min(60, "ttlSeconds must be at least 60")
      .max(900, "ttlSeconds must be at most 900 (15 minutes)")
      .optional(),
  })
  .optional();
export type IssueCredentialInput = z.input<typeof issueCredentialSchema>;

export const issuedCredentialSchema = z.object({
  credential: z.string(),
  tokenId: z.string(),
  workspaceId: z.string(),
  workloadId: z.string(),
  expiresAt: isoDate,
  ttlSeconds: z.number(),
});

export const resolvedEnvSchema = z.object({
  workloadId: z.string(),
  env: z.record(z.string(), z.string()),
  /** The variables whose values come from secrets (what `tessera run` redacts from captured output). */
  secrets: z.array(z.string()),
  /**
   * Variables left out, and why: `private_secret`, a private secret whose creator did not mint this
   * token or did not put it on this workload; `loader_variable`, a code-loading name (PATH,
   * LD_PRELOAD, NODE_OPTIONS, …) the workspace does not allow.
   */
  withheld: z.array(z.object({ envName: z.string(), reason: z.enum(["private_secret", "loader_variable"]) })),
});
