// Pure helpers of the Audit page (server) and its details drawer (client): how an event reads.
import { auditActionLabel } from "@/lib/schemas/audit-events";

/** What the page hands to the details drawer: plain values only. */
export type AuditEventView = {
  id: string;
  when: string;
  actorType: string;
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  actionLabel: string | null;
  targetType: string | null;
  targetId: string | null;
  targetLabel: string | null;
  result: string;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  change: string | null;
  metadata: Record<string, unknown> | null;
};

type EventLike = {
  id: string;
  createdAt: Date | string;
  actorType: string;
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  targetLabel?: string | null;
  result: string;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  metadata: Record<string, unknown> | null;
};

const scalar = (v: unknown): v is string | number | boolean | null => v === null || ["string", "number", "boolean"].includes(typeof v);

/** One metadata value in words: text as is, lists joined, null as "none", objects as JSON. */
export function metadataValue(v: unknown): string {
  if (v === null || v === undefined) return "none";
  if (typeof v === "boolean") return v ? "yes" : "no";
  if (typeof v === "string" || typeof v === "number") return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x === "string" || typeof x === "number")) return v.length ? v.join(", ") : "none";
  return JSON.stringify(v, null, 2);
}

/**
 * A change the event's metadata records as from → to, in words: "alice@x.com: member → admin"
 * for a role change (whose role, from which to which), "Old name → New name" for a rename.
 */
export function changeOf(e: Pick<EventLike, "action" | "metadata" | "targetLabel">): string | null {
  const m = e.metadata;
  if (!m || !("from" in m) || !("to" in m) || !scalar(m.from) || !scalar(m.to)) return null;
  const fromTo = `${metadataValue(m.from)} → ${metadataValue(m.to)}`;
  if (e.action === "member.role.update") {
    const who = typeof m.email === "string" ? m.email : e.targetLabel;
    return who ? `${who}: ${fromTo}` : fromTo;
  }
  return fromTo;
}

/** "2026-12-02 09:30 UTC" */
function utc(d: Date | string): string {
  return `${new Date(d).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export function viewOf(e: EventLike): AuditEventView {
  return {
    id: e.id,
    when: utc(e.createdAt),
    actorType: e.actorType,
    actorId: e.actorId,
    actorLabel: e.actorLabel,
    action: e.action,
    actionLabel: auditActionLabel(e.action),
    targetType: e.targetType,
    targetId: e.targetId,
    targetLabel: e.targetLabel ?? null,
    result: e.result,
    ip: e.ip,
    userAgent: e.userAgent,
    requestId: e.requestId,
    change: changeOf(e),
    metadata: e.metadata,
  };
}

/** The words for a target: its name, else its type (and a short id). */
export function targetText(v: Pick<AuditEventView, "targetType" | "targetId" | "targetLabel">): string {
  if (v.targetLabel) return v.targetLabel;
  if (!v.targetType) return "—";
  return v.targetId ? `${v.targetType} ${v.targetId.slice(0, 8)}…` : `a new ${v.targetType}`;
}
