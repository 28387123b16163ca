// The audit log: list (filtered, cursor-paginated), export (streamed CSV or JSON Lines), retention.
import { z } from "zod";
import { auditExportQuerySchema, auditPageSchema, auditQuerySchema, auditRetentionOutputSchema, auditRetentionSchema } from "../schemas/audit";
import { workspaceParamsSchema } from "../schemas/workspace";
import { BEARER_ERRORS, operation } from "./define";
import { EXAMPLE_TIME, EXAMPLE_USER_ID, EXAMPLE_WORKSPACE_ID } from "./examples";

// --- Examples (made up) ---
export const EXAMPLE_AUDIT_EVENT = {
  id: "cmx57cgzg0020k2ae7a1b2c3d",
  workspaceId: EXAMPLE_WORKSPACE_ID,
  createdAt: EXAMPLE_TIME,
  actorType: "user",
  actorId: EXAMPLE_USER_ID,
  actorLabel: "ada@acme.example",
  action: "member.role.update",
  targetType: "user",
  targetId: "cmx57cgzg0010k2us7a1b2c3d",
  targetLabel: "grace@acme.example",
  result: "success",
  ip: "203.0.113.7",
  userAgent: "Mozilla/5.0 (X11; Linux x86_64)",
  requestId: "9f1c2d4e-0b7a-4c3e-8f51-6a2b9c0d1e2f",
  metadata: { email: "grace@acme.example", from: "member", to: "admin" },
};
/** The same event as an export line: exports keep the recorded columns (no `targetLabel`). */
const { targetLabel: _listOnly, ...EXAMPLE_EXPORTED_EVENT } = EXAMPLE_AUDIT_EVENT;
/** A cursor as the API returns it (opaque: pass it back as it is). */
export const EXAMPLE_AUDIT_CURSOR = "MjAyNi0xMi0wMVQwOTozMDowMC4wMDBafGNteDU3Y2d6ZzAwMjBrMmFlN2ExYjJjM2Q";

const tag = "Audit log";
const params = { workspaceId: EXAMPLE_WORKSPACE_ID };

export const auditOperations = [
  operation({
    id: "audit.list",
    method: "GET",
    path: "/api/v1/workspaces/{workspaceId}/audit",
    tag,
    summary: "List audit events",
    description:
      "One page of the workspace's audit log, newest first, filtered by actor, action (or a prefix such as `member.`), target, result and time. Each event's target is named as it is now (`targetLabel`). Pass `nextCursor` back as `cursor` for the next page; the order is stable when events share a time. Bad filters are a 422 naming the field. A refused attempt is audited as a denied `audit.list`.",
    auth: "bearer",
    permission: "audit.read",
    params: workspaceParamsSchema,
    query: auditQuerySchema,
    status: 200,
    output: auditPageSchema,
    outputDescription: "A page of events and the cursor of the next one.",
    errors: [...BEARER_ERRORS, "FORBIDDEN", "NOT_FOUND", "VALIDATION_FAILED"],
    examples: { params, query: { action: "member.", from: "2026-12-01" }, response: { data: [EXAMPLE_AUDIT_EVENT], nextCursor: EXAMPLE_AUDIT_CURSOR } },
  }),
  operation({
    id: "audit.export",
    method: "GET",
    path: "/api/v1/workspaces/{workspaceId}/audit/export",
    tag,
    summary: "Export the audit log",
    description:
      "The whole filtered audit log as a download, oldest first: CSV (`text/csv`, with a header line; cells that a spreadsheet would run as a formula get a leading `'`) or JSON Lines (`application/x-ndjson`, one event a line, as in the list). Streamed as the client reads, whatever its size. The filters are those of the list. Audited as `audit.export` (format and filters) before the first byte; a refused attempt as denied.",
    auth: "bearer",
    permission: "audit.read",
    params: workspaceParamsSchema,
    query: auditExportQuerySchema,
    status: 200,
    output: z.string().meta({ description: "The file: CSV, or JSON Lines (one audit event as JSON a line)." }),
    outputDescription: "The filtered log as a file (Content-Disposition: attachment).",
    stream: { contentTypes: ["text/csv", "application/x-ndjson"] },
    errors: [...BEARER_ERRORS, "FORBIDDEN", "NOT_FOUND", "VALIDATION_FAILED"],
    examples: { params, query: { format: "jsonl", action: "member." }, response: `${JSON.stringify(EXAMPLE_EXPORTED_EVENT)}\n` },
  }),
  operation({
    id: "audit.setRetention",
    method: "PUT",
    path: "/api/v1/workspaces/{workspaceId}/audit/retention",
    tag,
    summary: "Set how long audit events are kept",
    description:
      "Events older than this many days (1-3650) are deleted by an hourly job (each batch audited as `audit.purge`); null keeps them forever, the default. Audited as `audit.retention.update` (from, to) when it changes; a refused attempt as denied.",
    auth: "bearer",
    permission: "workspace.update",
    params: workspaceParamsSchema,
    body: auditRetentionSchema,
    status: 200,
    output: auditRetentionOutputSchema,
    outputDescription: "The retention now in force.",
    errors: [...BEARER_ERRORS, "FORBIDDEN", "NOT_FOUND", "VALIDATION_FAILED", "UNSUPPORTED_MEDIA_TYPE", "PAYLOAD_TOO_LARGE"],
    examples: { params, body: { days: 90 }, response: { days: 90 } },
  }),
] as const;
