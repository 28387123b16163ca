// zod schemas of the browser-assisted CLI login (`tessera login --web`, in the style of the OAuth
// 2.0 device authorization grant, RFC 8628). The device code appears only in the start response;
// the token's value only in the one poll response that mints it.
import { z } from "zod";
import { idSchema, isoDate } from "./common";
import { tokenSchema } from "./token";

/** A device code lives this long (RFC 8628 `expires_in`). */
export const DEVICE_CODE_TTL_SECONDS = 600;
/** The token's lifetime when the person does not choose one: 7 days, or the workspace's maximum if lower. */
export const DEVICE_TOKEN_DEFAULT_DAYS = 7;
/** The lifetimes offered on the approval page (each within the workspace's maximum). */
export const DEVICE_TOKEN_DAY_CHOICES = [1, 7, 30, 90] as const;

/** The token lifetimes the approval page offers for a workspace's maximum (a maximum between the presets too). */
export function deviceDayChoices(max: number): number[] {
  const within: number[] = DEVICE_TOKEN_DAY_CHOICES.filter((d) => d <= max);
  return max < DEVICE_TOKEN_DAY_CHOICES[DEVICE_TOKEN_DAY_CHOICES.length - 1]! && !within.includes(max) ? [...within, max] : within;
}

/** The longest machine name (a host name label is at most 63; the token name `CLI on <name>` is cut to 64). */
export const MACHINE_NAME_MAX = 64;

/**
 * A machine name looks like a host name: letters, digits, `.`, `-` and `_`, at most 64. No spaces,
 * so that no sentence ("approve to keep access") can pose as a machine on the approval page.
 */
export const machineNameSchema = z
  .string({ error: "must be a string" })
  .trim()
  .min(1, "must not be empty")
  .max(MACHINE_NAME_MAX, `must be at most ${MACHINE_NAME_MAX} characters`)
  .regex(/^[A-Za-z0-9._-]+$/, "must look like a host name: letters, digits, '.', '-' and '_' only (no spaces)");

/** Loopback addresses (127.0.0.0/8, ::1) all mean "this machine": one browser may use ::1 where the CLI used 127.0.0.1. */
const loopback = (ip: string) => ip === "::1" || /^127\./.test(ip);

/**
 * Whether the approval page should warn that a request came from another network address than the
 * approver's: only when both are known and differ (loopback counts as one address).
 */
export function fromOtherAddress(requestIp: string | null, viewerIp: string | null): boolean {
  if (requestIp === null || viewerIp === null) return false;
  if (loopback(requestIp) && loopback(viewerIp)) return false;
  return requestIp.toLowerCase() !== viewerIp.toLowerCase();
}

export const startDeviceSchema = z
  .strictObject({
    machineName: machineNameSchema.meta({
      description: "The name of the machine asking, like a host name: 1-64 letters, digits, `.`, `-` or `_` (no spaces; 422 otherwise). Shown on the approval page; the token is named after it (`CLI on <machineName>`).",
    }),
    workspaceId: idSchema
      .optional()
      .meta({ description: "The workspace the token should act in. Omit it to let the person choose among their workspaces on the approval page." }),
  })
  .meta({ description: "Who asks: the machine's name and, optionally, the workspace wanted." });
export type StartDeviceInput = z.input<typeof startDeviceSchema>;

export const deviceCodeSchema = z
  .object({
    deviceCode: z.string().meta({ description: "The CLI's secret for polling (`tsr_dev_…`). Keep it in memory; never show or log it." }),
    userCode: z.string().meta({ description: "The code to show the person (`WDJB-MJHT`): they type it, or check it, on the approval page." }),
    verificationUri: z.string().meta({ description: "The approval page (`<public URL>/device`)." }),
    verificationUriComplete: z.string().meta({ description: "The approval page with the code filled in (`…/device?code=WDJB-MJHT`), to open in a browser." }),
    expiresIn: z.number().int().meta({ description: "Seconds until both codes expire (600)." }),
    interval: z.number().int().meta({ description: "Seconds to wait between polls (5 unless the server is configured otherwise). Add 5 after each SLOW_DOWN." }),
  })
  .meta({ id: "DeviceCode", description: "A new device authorization: the codes, where to approve, and how to poll." });
export type DeviceCodeOutput = z.output<typeof deviceCodeSchema>;

export const pollDeviceSchema = z
  .strictObject({
    deviceCode: z.string().max(200, "is too long").meta({ description: "The device code from the start response." }),
  })
  .meta({ description: "The device code to poll with." });

/** The one answer that carries the new token's value. */
export const deviceTokenSchema = tokenSchema
  .extend({
    token: z.string().meta({ description: "The new user token's value (`tsr_usr_…`): in this response only, never again. Store it like a password." }),
  })
  .meta({ description: "The new user token, named after the machine, with its value (shown this once)." });
export type DeviceTokenOutput = z.output<typeof deviceTokenSchema>;

// --- The approval page (server actions) ---

const typedCode = z
  .string({ error: "must be a string" })
  .max(40, "is too long")
  .meta({ description: "The user code as typed: case, spaces and dashes do not matter." });

export const lookupDeviceSchema = z.strictObject({ userCode: typedCode });

export const approveDeviceSchema = z.strictObject({
  userCode: typedCode,
  /** Required when the CLI asked for no workspace; when it asked for one, only that one. */
  workspaceId: idSchema.optional(),
  expiresInDays: z.number().int("must be a whole number of days").min(1, "must be at least 1 day").max(365, "must be at most 365 days").optional(),
});
export type ApproveDeviceInput = z.input<typeof approveDeviceSchema>;

export const DEVICE_STATES = ["pending", "approved", "denied", "consumed", "expired"] as const;

const workspaceChoice = z.object({
  id: z.string(),
  name: z.string(),
  maxTokenLifetimeDays: z.number().int(),
});

/** What the approval page shows of a code (never the code's hash, nor the device code). */
export const devicePreviewSchema = z.object({
  userCode: z.string(),
  state: z.enum(DEVICE_STATES),
  machineName: z.string(),
  /** The address the CLI started from. */
  requestIp: z.string().nullable(),
  /** The address the viewer (the approver) uses now: when it differs from requestIp, the page warns. */
  viewerIp: z.string().nullable(),
  createdAt: isoDate,
  expiresAt: isoDate,
  /**
   * The workspace the CLI asked for: `allowed` when the viewer may create a user token there; its
   * name only when the viewer is a member (another workspace's id says nothing about it).
   */
  requested: z
    .object({ id: z.string(), name: z.string().nullable(), maxTokenLifetimeDays: z.number().int().nullable(), allowed: z.boolean(), reason: z.string().nullable() })
    .nullable(),
  /** Without a requested workspace: the viewer's workspaces where they may create a user token. */
  choices: z.array(workspaceChoice),
  defaultExpiresInDays: z.number().int(),
});
export type DevicePreview = z.output<typeof devicePreviewSchema>;

export const deviceDecisionSchema = z.object({
  state: z.enum(DEVICE_STATES),
  machineName: z.string(),
  workspaceId: z.string().nullable(),
  workspaceName: z.string().nullable(),
  expiresInDays: z.number().int().nullable(),
});
export type DeviceDecision = z.output<typeof deviceDecisionSchema>;
