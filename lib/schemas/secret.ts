// zod schemas of secrets and workloads. The output schemas list every field that may leave: a
// secret's value, ciphertext, nonce or key never can. Every field has a description (`.meta`),
// which the OpenAPI document shows. Zod only, and nothing a browser lacks: the SDK imports these.
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
  .refine((v) => new TextEncoder().encode(v).length <= MAX_VALUE_BYTES, `must be at most ${MAX_VALUE_BYTES / 1024} KiB`)
  .refine((v) => !v.includes("\u0000"), "must not contain NUL characters");

/** A registry login may be sent as an object; it is stored as one JSON value. */
export const registryLoginSchema = z
  .strictObject({
    server: z.string().max(253).meta({ description: "The registry host, such as nvcr.io or ghcr.io (optionally :port)." }),
    username: z.string().max(256).meta({ description: "The registry user name." }),
    password: z.string().max(4096).meta({ description: "The registry password or access token." }),
  })
  .meta({ description: "A container registry login (preset `registry`), stored as one JSON value." });
const valueInput = z
  .union([secretValueSchema, registryLoginSchema.transform((o) => JSON.stringify(o))], {
    error: "must be a string (or, for a registry login, an object with server, username and password)",
  })
  .meta({ description: "The value (at most 64 KiB, no NUL characters), or a registry login object. Write-only: it is never shown again." });

/**
 * A future point in time, as an ISO 8601 date-time string: on the wire and after parsing alike, so
 * that a service re-parsing what a transport (route or action) already parsed gets the same string
 * (the service turns it into a Date when it writes it).
 */
const futureDate = z.iso
  // abort: a string that is not a date-time gets this message only (not "in the future" too).
  .datetime({ offset: true, abort: true, error: "must be an ISO date and time, e.g. 2027-01-31T00:00:00Z" })
  .refine((v) => new Date(v).getTime() > Date.now(), "must be in the future");

export const VISIBILITIES = ["private", "public"] as const;

const PRESET_DESCRIPTION = `The kind of credential (${PRESETS.join(", ")}): its format is checked, and it suggests the variable name.`;
const VISIBILITY_DESCRIPTION = "`private`: seen and used by its creator only; `public`: by every member of the workspace.";
const EXPIRES_AT_DESCRIPTION = "When the value should be replaced, as an ISO 8601 date-time in the future; null for none. A reminder only: an expired secret still works.";

export const createSecretSchema = z.strictObject({
  name: secretNameSchema.meta({ description: "A name, unique in the workspace: letters, digits, '.', '_' and '-' (1-64 characters)." }),
  preset: z.enum(PRESETS, { error: `must be one of ${PRESETS.join(", ")}` }).default("custom").meta({ description: PRESET_DESCRIPTION }),
  value: valueInput,
  visibility: z.enum(VISIBILITIES, { error: "must be private or public" }).default("private").meta({ description: `${VISIBILITY_DESCRIPTION} Public secrets need secret.manage.` }),
  envName: envNameSchema.optional().meta({ description: "The environment variable workloads get it as (default: the preset's, such as HF_TOKEN)." }),
  expiresAt: futureDate.nullable().optional().meta({ description: EXPIRES_AT_DESCRIPTION }),
});
export type CreateSecretInput = z.input<typeof createSecretSchema>;

export const updateSecretSchema = z
  .strictObject({
    name: secretNameSchema.optional().meta({ description: "A new name, unique in the workspace (the value is re-encrypted under it as a new version)." }),
    envName: envNameSchema.nullable().optional().meta({ description: "A new environment variable name, or null for none." }),
    visibility: z.enum(VISIBILITIES, { error: "must be private or public" }).optional().meta({ description: `${VISIBILITY_DESCRIPTION} Only its creator makes a public secret private.` }),
    expiresAt: futureDate.nullable().optional().meta({ description: EXPIRES_AT_DESCRIPTION }),
  })
  .refine((v) => Object.keys(v).length > 0, "must change at least one of name, envName, visibility, expiresAt");
export type UpdateSecretInput = z.input<typeof updateSecretSchema>;

export const replaceSecretValueSchema = z.strictObject({ value: valueInput });
export const matchSecretSchema = z.strictObject({
  value: z
    .union([z.string().max(MAX_VALUE_BYTES * 2), registryLoginSchema.transform((o) => JSON.stringify(o))])
    .meta({ description: "The candidate value (or registry login) to compare with the stored one. Never stored, logged or audited." }),
});

export const secretParamsSchema = z.object({
  workspaceId: idSchema.meta({ description: "The workspace's ID." }),
  secretId: idSchema.meta({ description: "The secret's ID." }),
});

export const EXPIRES_SOON_DAYS = 14;

export const secretSchema = z.object({
  id: z.string().meta({ description: "The secret's ID." }),
  workspaceId: z.string().meta({ description: "The workspace the secret belongs to." }),
  name: z.string().meta({ description: "The secret's name, unique in the workspace." }),
  preset: z.enum(PRESETS).meta({ description: PRESET_DESCRIPTION }),
  envName: z.string().nullable().meta({ description: "The environment variable workloads get it as by default, or null." }),
  visibility: z.enum(VISIBILITIES).meta({ description: VISIBILITY_DESCRIPTION }),
  version: z.number().int().meta({ description: "The value's version: 1 at creation, one more at each new value (and rename). Only the current version is kept." }),
  createdById: z.string().nullable().meta({ description: "The user who created it, or null." }),
  /** A private secret whose creator is no longer a member: only owners see it, to delete it. */
  orphaned: z.boolean().meta({ description: "A private secret of someone else whose creator is no longer a member (or is disabled): only owners see it, to delete it." }),
  expiresAt: isoDate.nullable().meta({ description: "When the value should be replaced, or null." }),
  expired: z.boolean().meta({ description: "Whether expiresAt has passed." }),
  expiresSoon: z.boolean().meta({ description: `Whether less than ${EXPIRES_SOON_DAYS} days are left before expiresAt.` }),
  createdAt: isoDate.meta({ description: "When the secret was created." }),
  updatedAt: isoDate.meta({ description: "When the secret or its value last changed." }),
}).meta({ id: "Secret", description: "A secret's metadata. Its value is write-only and never returned." });
export type SecretOutput = z.output<typeof secretSchema>;

/** Create and replace answer with the metadata and the preset's warnings (never the value). */
export const savedSecretSchema = z.object({
  secret: secretSchema.meta({ description: "The secret's metadata (never its value)." }),
  warnings: z.array(z.string()).meta({ description: "What the preset's check found uncertain about the value's format (it was saved anyway)." }),
});

// ---- Import from a dotenv file ----------------------------------------------------------------

/** At most this many KEY=VALUE lines (and bad lines) per import, and this many bytes of text. */
export const MAX_IMPORT_LINES = 200;
export const MAX_IMPORT_BYTES = 256 * 1024;
export const IMPORT_STATUSES = ["new", "replaced", "skipped", "invalid"] as const;

export const importSecretsSchema = z.strictObject({
  dotenv: z
    .string({ error: "must be the text of a dotenv file" })
    .refine((v) => new TextEncoder().encode(v).length <= MAX_IMPORT_BYTES, `must be at most ${MAX_IMPORT_BYTES / 1024} KiB`)
    .meta({
      description: `The dotenv file's text (at most ${MAX_IMPORT_BYTES / 1024} KiB, ${MAX_IMPORT_LINES} variables): KEY=VALUE lines, \`export KEY=VALUE\`, values in double quotes (with \\n escapes) or single quotes (both may span lines), # comments and blank lines; no \${VAR} expansion. Write-only: no value is ever returned.`,
    }),
  dryRun: z.boolean({ error: "must be true or false" }).default(false).meta({ description: "true: only classify the lines (the preview); nothing is written." }),
  replace: z.boolean({ error: "must be true or false" }).default(false).meta({ description: "true: a secret of that name that exists gets the new value (as the next version); false: it is skipped." }),
  visibility: z.enum(VISIBILITIES, { error: "must be private or public" }).default("private").meta({ description: `For the secrets created. ${VISIBILITY_DESCRIPTION} Public secrets need secret.manage.` }),
  prefix: z
    .string({ error: "must be a string" })
    .max(32, "must be at most 32 characters")
    .regex(/^[A-Za-z0-9._-]*$/, "may contain letters, digits, '.', '_' and '-'")
    .default("")
    .meta({ description: "Put before each KEY to make the secret's name (the variable name stays KEY)." }),
});
export type ImportSecretsInput = z.input<typeof importSecretsSchema>;

export const importLineSchema = z.object({
  line: z.number().int().meta({ description: "The line number in the file (the first line of a value that spans lines)." }),
  key: z.string().nullable().meta({ description: "The variable name (KEY), or null where the line has none." }),
  name: z.string().nullable().meta({ description: "The secret's name (prefix + KEY), or null for a line that is not a variable." }),
  status: z.enum(IMPORT_STATUSES).meta({ description: "`new` (created), `replaced` (a new version of the secret of that name), `skipped` (exists, and replace was not asked) or `invalid` (see reason)." }),
  reason: z.string().nullable().meta({ description: "Why a line is skipped or invalid (never the value), or null." }),
  preset: z.enum(PRESETS).nullable().meta({ description: "The preset the value is checked against: the existing secret's, or for a new one the preset whose variable name KEY is (HF_TOKEN: huggingface), else custom." }),
  secretId: z.string().nullable().meta({ description: "The secret's ID (an existing secret's, or the new one's once applied), or null." }),
  warnings: z.array(z.string()).meta({ description: "What the preset's check found uncertain about the value's format (never the value)." }),
});
export type ImportLine = z.output<typeof importLineSchema>;

export const importResultSchema = z
  .object({
    dryRun: z.boolean().meta({ description: "Whether this was only a preview." }),
    applied: z.boolean().meta({ description: "Whether the secrets were written (false for a preview)." }),
    counts: z
      .object({
        new: z.number().int().meta({ description: "Lines that create a secret." }),
        replaced: z.number().int().meta({ description: "Lines that replace an existing secret's value." }),
        skipped: z.number().int().meta({ description: "Lines skipped (the secret exists, and replace was not asked)." }),
        invalid: z.number().int().meta({ description: "Lines that cannot be imported." }),
      })
      .meta({ description: "How many lines have each status." }),
    lines: z.array(importLineSchema).meta({ description: "Each variable (and bad line) of the file, in file order: never a value." }),
  })
  .meta({ description: "What the import did, or would do, line by line." });
export type ImportResult = z.output<typeof importResultSchema>;

// ---- Workloads --------------------------------------------------------------------------------

export const WORKLOAD_KINDS = ["endpoint", "job", "pod"] as const;

export const workloadNameSchema = z
  .string({ error: "must be a string" })
  .trim()
  .min(1, "must not be empty")
  .max(63, "must be at most 63 characters (a DNS label)")
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a DNS label: lower-case letters, digits and '-', starting and ending with a letter or digit");

const descriptionSchema = visibleText(z.string().trim().max(500, "must be at most 500 characters"), { multiline: true });

const ENV_NAME_DESCRIPTION = "The environment variable's name (letters, digits and '_', not starting with a digit).";
export const bindingInputSchema = z.union([
  z
    .strictObject({
      envName: envNameSchema.meta({ description: ENV_NAME_DESCRIPTION }),
      value: z
        .string()
        .max(MAX_VALUE_BYTES, "must be at most 64 KiB")
        .refine((v) => !v.includes("\u0000"), "must not contain NUL characters")
        .meta({ description: "A literal value: configuration, not a secret (it is shown to every member)." }),
    })
    .meta({ description: "A variable with a literal value." }),
  z
    .strictObject({
      envName: envNameSchema.meta({ description: ENV_NAME_DESCRIPTION }),
      secretId: idSchema.meta({ description: "The secret whose value the variable gets: a public one, or one's own private one." }),
    })
    .meta({ description: "A variable whose value comes from a secret." }),
]);
export const MAX_BINDINGS = 200;
const bindingsSchema = z
  .array(bindingInputSchema)
  .max(MAX_BINDINGS, `must have at most ${MAX_BINDINGS} variables`)
  .refine((b) => new Set(b.map((x) => x.envName)).size === b.length, "must not name the same variable twice");
const BINDINGS_DESCRIPTION = `The workload's environment variables (at most ${MAX_BINDINGS}, each named once): a literal value or a secret. Code-loading names (PATH, LD_PRELOAD, NODE_OPTIONS, …) only where the workspace allows them.`;
const WORKLOAD_KIND_DESCRIPTION = "What runs: an `endpoint` (a service), a `job` (runs to completion) or a `pod`.";

export const createWorkloadSchema = z.strictObject({
  name: workloadNameSchema.meta({ description: "A name, unique in the workspace: a DNS label (lower-case letters, digits and '-', at most 63 characters)." }),
  kind: z.enum(WORKLOAD_KINDS, { error: "must be endpoint, job or pod" }).meta({ description: WORKLOAD_KIND_DESCRIPTION }),
  description: descriptionSchema.optional().meta({ description: "What the workload is (at most 500 characters)." }),
  bindings: bindingsSchema.default([]).meta({ description: BINDINGS_DESCRIPTION }),
});
export type CreateWorkloadInput = z.input<typeof createWorkloadSchema>;

export const updateWorkloadSchema = z
  .strictObject({
    name: workloadNameSchema.optional().meta({ description: "A new name, unique in the workspace (a DNS label)." }),
    kind: z.enum(WORKLOAD_KINDS, { error: "must be endpoint, job or pod" }).optional().meta({ description: WORKLOAD_KIND_DESCRIPTION }),
    description: descriptionSchema.nullable().optional().meta({ description: "A new description (at most 500 characters); null or empty removes it." }),
    bindings: bindingsSchema.optional().meta({ description: `Replaces the whole list. ${BINDINGS_DESCRIPTION}` }),
  })
  .refine((v) => Object.keys(v).length > 0, "must change at least one of name, kind, description, bindings");
export type UpdateWorkloadInput = z.input<typeof updateWorkloadSchema>;

export const workloadParamsSchema = z.object({
  workspaceId: idSchema.meta({ description: "The workspace's ID." }),
  workloadId: idSchema.meta({ description: "The workload's ID." }),
});

export const bindingSchema = z.object({
  envName: z.string().meta({ description: "The environment variable's name." }),
  /** Literal values are configuration, not secrets: they are shown. */
  value: z.string().nullable().meta({ description: "A literal value (configuration, not a secret: shown), or null when the value comes from a secret." }),
  secret: z
    .object({
      id: z.string().meta({ description: "The secret's ID." }),
      /** name: null for another member's private secret (its name is theirs, like the secret itself). */
      name: z.string().nullable().meta({ description: "The secret's name; null for another member's private secret (its name is theirs, like the secret itself)." }),
      visibility: z.enum(VISIBILITIES).meta({ description: VISIBILITY_DESCRIPTION }),
      /** formerMember: a private secret whose creator has left (or was disabled); the env endpoint refuses the workload until it is rebound. */
      formerMember: z.boolean().meta({ description: "A private secret whose creator has left the workspace (or was disabled): the env endpoint refuses the workload until another secret is bound." }),
    })
    .nullable()
    .meta({ description: "The secret the value comes from (never the value), or null for a literal." }),
});

export const workloadSchema = z.object({
  id: z.string().meta({ description: "The workload's ID." }),
  workspaceId: z.string().meta({ description: "The workspace the workload belongs to." }),
  name: z.string().meta({ description: "The workload's name (a DNS label), unique in the workspace." }),
  kind: z.enum(WORKLOAD_KINDS).meta({ description: WORKLOAD_KIND_DESCRIPTION }),
  description: z.string().nullable().meta({ description: "What the workload is, or null." }),
  bindings: z.array(bindingSchema).meta({ description: "The environment variables, by name: literal values are shown, secrets only by reference." }),
  tokens: z
    .array(
      z.object({
        id: z.string().meta({ description: "The token's ID." }),
        name: z.string().meta({ description: "The token's name." }),
        partialKey: z.string().meta({ description: "The value's prefix and last four characters." }),
        status: z.string().meta({ description: "`active` or `cancelled`." }),
        expiresAt: isoDate.meta({ description: "When the token stops working." }),
      }),
    )
    .meta({ description: "The workload tokens bound to this workload (never their values)." }),
  createdAt: isoDate.meta({ description: "When the workload was created." }),
  updatedAt: isoDate.meta({ description: "When the workload last changed." }),
}).meta({ id: "Workload", description: "A workload: its environment bindings and its workload tokens." });
export type WorkloadOutput = z.output<typeof workloadSchema>;

/** POST …/workloads/{id}/credentials: an optional shorter lifetime (SEC-14: at most 15 minutes). */
export const issueCredentialSchema = z
  .strictObject({
    ttlSeconds: z
      .number({ error: "ttlSeconds must be a whole number of seconds" })
      .int("ttlSeconds must be a whole number of seconds")
      .min(60, "ttlSeconds must be at least 60")
      .max(900, "ttlSeconds must be at most 900 (15 minutes)")
      .optional()
      .meta({ description: "The credential's lifetime in seconds, 60-900 (default and maximum 900: 15 minutes; never past the token's own expiry)." }),
  })
  .optional();
export type IssueCredentialInput = z.input<typeof issueCredentialSchema>;

export const issuedCredentialSchema = z.object({
  credential: z.string().meta({ description: "The short-lived credential (`tsr_wlc_…`), for `Authorization: Bearer` on this workload's env endpoint only. Shown in this response only." }),
  tokenId: z.string().meta({ description: "The workload token it was issued to." }),
  workspaceId: z.string().meta({ description: "The workspace it is limited to." }),
  workloadId: z.string().meta({ description: "The workload it is limited to." }),
  expiresAt: isoDate.meta({ description: "When the credential stops working (at most 15 minutes from now)." }),
  ttlSeconds: z.number().meta({ description: "Its lifetime in seconds." }),
});

export const resolvedEnvSchema = z.object({
  workloadId: z.string().meta({ description: "The workload's ID." }),
  env: z.record(z.string(), z.string()).meta({ description: "The environment: variable name → value (literal values and decrypted secret values)." }),
  /** The variables whose values come from secrets (what `tessera run` redacts from captured output). */
  secrets: z.array(z.string()).meta({ description: "The variables whose values come from secrets (what `tessera run` redacts from captured output)." }),
  /**
   * Variables left out, and why: `private_secret`, a private secret whose creator did not mint this
   * token or did not put it on this workload; `loader_variable`, a code-loading name (PATH,
   * LD_PRELOAD, NODE_OPTIONS, …) the workspace does not allow.
   */
  withheld: z
    .array(
      z.object({
        envName: z.string().meta({ description: "The variable left out." }),
        reason: z.enum(["private_secret", "loader_variable"]).meta({ description: "`private_secret` or `loader_variable` (see withheld)." }),
      }),
    )
    .meta({
      description:
        "Variables left out, and why: `private_secret`, a private secret whose creator did not mint this token or did not put it on this workload; `loader_variable`, a code-loading name (PATH, LD_PRELOAD, NODE_OPTIONS, …) the workspace does not allow.",
    }),
});
