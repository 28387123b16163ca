// Audit events: written by services inside the same transaction as the change they describe,
// and on their own for denied attempts. They never hold a token, secret, hash or cookie.
import { actorId, actorLabel, type Actor } from "../auth/actor";
import { transaction, type Tx } from "../db/client";
import { log } from "../log";

export type AuditMetadata = Record<string, string | number | boolean | null | string[]>;

export type AuditInput = {
  workspaceId: string | null;
  action: string;
  target?: { type: string; id: string | null };
  result?: "success" | "denied" | "failure";
  metadata?: AuditMetadata;
};

/** Keys that must never appear in audit metadata (they could only hold credentials). */
const FORBIDDEN_KEYS = /^(value|token|secret|password|passwordHash|hash|tokenHash|cookie|authorization|ciphertext|wrappedKey)$/i;

/** Removes control characters (no CR/LF log forging) and bounds the length. */
export function cleanText(value: string | null | undefined, max = 512): string | null {
  if (value === null || value === undefined) return null;
  const cleaned = value.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
  return cleaned.length > max ? cleaned.slice(0, max) : cleaned;
}

function metadataJson(metadata: AuditMetadata | undefined): string | null {
  if (!metadata) return null;
  for (const key of Object.keys(metadata)) {
    if (FORBIDDEN_KEYS.test(key)) throw new Error(`audit metadata may not contain "${key}"`);
  }
  return JSON.stringify(metadata);
}

function row(actor: Actor, event: AuditInput) {
  if (!/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/.test(event.action)) {
    throw new Error(`audit action must be a dotted name: ${event.action}`);
  }
  return {
    workspaceId: event.workspaceId,
    actorType: actor.type,
    actorId: actorId(actor),
    actorLabel: cleanText(actorLabel(actor), 200),
    action: event.action,
    targetType: event.target?.type ?? null,
    targetId: event.target?.id ?? null,
    result: event.result ?? "success",
    ip: cleanText(actor.meta.ip, 64),
    userAgent: cleanText(actor.meta.userAgent, 512),
    requestId: cleanText(actor.meta.requestId, 64),
    metadata: metadataJson(event.metadata),
  };
}

/** Records an event inside the caller's transaction. */
export async function recordAudit(tx: Tx, actor: Actor, event: AuditInput): Promise<void> {
  await tx.auditEvent.create({ data: row(actor, event) });
}

/**
 * Records a denied attempt. It runs outside the failed operation (which wrote nothing), and a
 * failure to record is logged rather than hiding the original denial.
 */
export async function recordDenied(actor: Actor, event: Omit<AuditInput, "result">): Promise<void> {
  try {
    await transaction((tx) => tx.auditEvent.create({ data: row(actor, { ...event, result: "denied" }) }));
  } catch (err) {
    log.error({ err: (err as Error)?.message, action: event.action }, "could not record denied attempt");
  }
}
