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
const when = (edge: "start" | "end") =>
  z
    .union([z.iso.date(), z.iso.datetime({ offset: true })], { error: "must be a date (2026-11-24) or an ISO date and time" })
    .transform((v) => (v.length === 10 ? new Date(`${v}T${edge === "start" ? "00:00:00.000" : "23:59:59.999"}Z`) : new Date(v)))
    .optional()
    .or(z.literal("").transform(() => undefined));

export const AUDIT_RESULTS = ["success", "denied", "failure"] as const;

export const auditQuerySchema = z
  .strictObject({
    /** A user or token id (exact), or part of the actor's label (an email). */
    actor: text(200),
    /** An event name (`member.role.update`) or a prefix ending in a dot (`member.`). */
    action: text(100).refine((v) => v === undefined || /^[a-z][a-z0-9_]*(\.[a-z0-9_]*)*$/.test(v), "must be an event name such as member.role.update, or a prefix such as member."),
    /** A target id, a target type (`user`), or `type:id`. */
    target: text(200),
    result: z.enum(AUDIT_RESULTS, { error: "must be success, denied or failure" }).optional().or(z.literal("").transform(() => undefined)),
    from: when("start"),
    to: when("end"),
    cursor: z.string().max(200).regex(/^[A-Za-z0-9_-]*$/, "is not a cursor from this API").optional(),
    limit: z.coerce.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be at least 1").max(200, "must be at most 200").default(50),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ["to"], message: "must not be before from" });
export type AuditQuery = z.input<typeof auditQuerySchema>;
export type AuditFilters = z.output<typeof auditQuerySchema>;

export const EXPORT_FORMATS = ["csv", "jsonl"] as const;
export const auditExportQuerySchema = z
  .strictObject({
    ...auditQuerySchema.shape,
    format: z.enum(EXPORT_FORMATS, { error: "must be csv or jsonl" }).default("jsonl"),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ["to"], message: "must not be before from" });

export const auditEventSchema = z.object({
  id: z.string(),
  workspaceId: z.string().nullable(),
  createdAt: isoDate,
  actorType: z.string(),
  actorId: z.string().nullable(),
  actorLabel: z.string().nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  result: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  requestId: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()).nullable(),
});
export type AuditEventOutput = z.output<typeof auditEventSchema>;

export const auditPageSchema = z.object({ data: z.array(auditEventSchema), nextCursor: z.string().nullable() });

export const AUDIT_RETENTION_MAX_DAYS = 3650;
export const auditRetentionSchema = z.strictObject({
  days: z
    .number({ error: "must be a whole number of days, or null to keep events forever" })
    .int("must be a whole number of days")
    .min(1, "must be at least 1 day")
    .max(AUDIT_RETENTION_MAX_DAYS, `must be at most ${AUDIT_RETENTION_MAX_DAYS} days`)
    .nullable(),
});
