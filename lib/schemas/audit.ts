// zod schemas of the audit log: the filters (from a query string), the event as it leaves, and
// the retention setting. Hostile filters are refused with 422 before any query.
import { z } from "zod";
import { isoDate } from "./common";

const noControl = (v: string) => !/[\u0000-\u001f\u007f]/.test(v);
const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .refine(noControl, "must not contain control characters (such as line breaks)")
    .transform((v) => v || undefined)
    .optional();

/** A date (2026-11-24, the whole day in UTC) or a date and time with offset. */
export const DATE_FILTER_MESSAGE = "use a date like 2026-12-01 (the whole day in UTC), or a date and time like 2026-12-01T09:30:00Z";
const when = (edge: "start" | "end") =>
  z.union(
    [
      z
        .union([z.iso.date(), z.iso.datetime({ offset: true })], { error: DATE_FILTER_MESSAGE })
        .transform((v) => (v.length === 10 ? new Date(`${v}T${edge === "start" ? "00:00:00.000" : "23:59:59.999"}Z`) : new Date(v)))
        .optional(),
      z.literal("").transform(() => undefined),
    ],
    // Said once, whichever branch it failed (an empty value is no filter).
    { error: DATE_FILTER_MESSAGE },
  );

export const AUDIT_RESULTS = ["success", "denied", "failure"] as const;

export const auditQuerySchema = z
  .strictObject({
    /** A user or token id (exact), or part of the actor's label (an email). */
    actor: text(200).meta({ description: "A user or token id (exact), or part of the actor's label (an email address)." }),
    /** An event name (`member.role.update`) or a prefix ending in a dot (`member.`). */
    action: text(100)
      .refine((v) => v === undefined || /^[a-z][a-z0-9_]*(\.[a-z0-9_]*)*$/.test(v), "must be an event name such as member.role.update, or a prefix such as member.")
      .meta({ description: "An event name (`member.role.update`), or a prefix ending in a dot (`member.`)." }),
    /** A target id, a target type (`user`), or `type:id`. */
    target: text(200).meta({ description: "A target id, a target type (`user`), or both as `type:id`." }),
    result: z
      .enum(AUDIT_RESULTS, { error: "must be success, denied or failure" })
      .optional()
      .or(z.literal("").transform(() => undefined))
      .meta({ description: "Only events with this result: success, denied or failure." }),
    from: when("start").meta({ description: "Events at or after this time: a date (2026-11-24, from the start of that day in UTC) or an ISO date and time." }),
    to: when("end").meta({ description: "Events at or before this time: a date (2026-11-24, to the end of that day in UTC) or an ISO date and time." }),
    cursor: z
      .string()
      .max(200)
      .regex(/^[A-Za-z0-9_-]*$/, "is not a cursor from this API")
      .optional()
      .meta({ description: "Continue after the previous page: its `nextCursor`." }),
    limit: z.coerce
      .number({ error: "must be a number" })
      .int("must be a whole number")
      .min(1, "must be at least 1")
      .max(200, "must be at most 200")
      .default(50)
      .meta({ description: "Events per page (1-200, default 50)." }),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ["to"], message: "must not be before from" });
export type AuditQuery = z.input<typeof auditQuerySchema>;
export type AuditFilters = z.output<typeof auditQuerySchema>;

/**
 * Filters already decoded (by a route, through the contract) back in their query-string form, dates
 * as ISO 8601 strings: the services parse their input with these same schemas, whatever the transport.
 */
export function auditQueryOf<F extends { from?: Date; to?: Date }>(f: F): Omit<F, "from" | "to"> & { from?: string; to?: string } {
  return { ...f, from: f.from?.toISOString(), to: f.to?.toISOString() };
}

export const EXPORT_FORMATS = ["csv", "jsonl"] as const;
export const auditExportQuerySchema = z
  .strictObject({
    ...auditQuerySchema.shape,
    // Accepted (a page's query can be passed as it is) but an export has no pages.
    cursor: auditQuerySchema.shape.cursor.meta({ description: "Ignored: an export is the whole filtered log." }),
    limit: auditQuerySchema.shape.limit.meta({ description: "Ignored: an export is the whole filtered log." }),
    format: z
      .enum(EXPORT_FORMATS, { error: "must be csv or jsonl" })
      .default("jsonl")
      .meta({ description: "csv (with a header line) or jsonl (JSON Lines, one event a line; the default)." }),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ["to"], message: "must not be before from" });

export const auditEventSchema = z.object({
  id: z.string().meta({ description: "The event's id." }),
  workspaceId: z.string().nullable().meta({ description: "The workspace it happened in; null for events outside any workspace." }),
  createdAt: isoDate.meta({ description: "When it happened (UTC)." }),
  actorType: z.string().meta({ description: "Who acted: user, token or system." }),
  actorId: z.string().nullable().meta({ description: "The user's or token's id; null for the system." }),
  actorLabel: z.string().nullable().meta({ description: "A readable label of the actor (an email address, a token's name)." }),
  action: z.string().meta({ description: "What was done or attempted, as a dotted name (`member.role.update`)." }),
  targetType: z.string().nullable().meta({ description: "The kind of thing acted on (`user`, `token`, `workspace`, …)." }),
  targetId: z.string().nullable().meta({ description: "Its id." }),
  targetLabel: z
    .string()
    .nullable()
    .optional()
    .meta({
      description:
        "The target's name as it is now (a token's, secret's or workload's name, a member's or invitation's email address, the workspace's name); for a target deleted since, the name the event recorded followed by \"(deleted)\", or \"deleted <type>\". In the list only (exports keep the recorded columns).",
    }),
  result: z.string().meta({ description: "success, denied or failure." }),
  ip: z.string().nullable().meta({ description: "The client's address, if known." }),
  userAgent: z.string().nullable().meta({ description: "The client's user agent, if known." }),
  requestId: z.string().nullable().meta({ description: "The request's id (X-Request-Id)." }),
  metadata: z
    .record(z.string(), z.unknown())
    .nullable()
    .meta({ description: "Non-sensitive details (for example `{\"from\": \"viewer\", \"to\": \"member\"}`). Never a token, secret, hash or link." }),
}).meta({ id: "AuditEvent", description: "An audit event: who did what to which target, with what result." });
export type AuditEventOutput = z.output<typeof auditEventSchema>;

export const auditPageSchema = z.object({
  data: z.array(auditEventSchema).meta({ description: "The events, newest first." }),
  nextCursor: z.string().nullable().meta({ description: "Pass as `cursor` for the next (older) page; null on the last page." }),
});

export const AUDIT_RETENTION_MAX_DAYS = 3650;
export const auditRetentionSchema = z.strictObject({
  days: z
    .number({ error: "must be a whole number of days, or null to keep events forever" })
    .int("must be a whole number of days")
    .min(1, "must be at least 1 day")
    .max(AUDIT_RETENTION_MAX_DAYS, `must be at most ${AUDIT_RETENTION_MAX_DAYS} days`)
    .nullable()
    .meta({ description: `Keep events this many days (1-${AUDIT_RETENTION_MAX_DAYS}); null keeps them forever.` }),
});

/** The retention setting as it is now. */
export const auditRetentionOutputSchema = z.object({
  days: z.number().int().nullable().meta({ description: "Events are kept this many days; null keeps them forever." }),
});
