// One error type and one JSON envelope for every transport:
//   { "error": { "code": "NOT_FOUND", "message": "...", "requestId": "...", "details"?: [...] } }
// `message` is always safe to show; `internal` (never sent) keeps what we log.
import { z } from "zod";

import { ERROR_CODES, errorEnvelopeSchema, type ErrorCode, type ErrorEnvelope } from "./contract/errors";

export { ERROR_CODES, errorEnvelopeSchema, type ErrorCode, type ErrorEnvelope };

export type ErrorDetail = { path: string; message: string };

export type DeniedAudit = { workspaceId: string | null; action: string; target?: { type: string; id: string | null }; metadata?: Record<string, string | number | boolean | null | string[]> };

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetail[] | undefined;
  readonly retryAfterSeconds: number | undefined;
  /** Extra context for logs only; never sent to the client. */
  readonly internal: string | undefined;
  /** Set on denials: the audit event to record once the failed transaction has rolled back. */
  denied: DeniedAudit | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { details?: ErrorDetail[]; retryAfterSeconds?: number; internal?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = "AppError";
    this.code = code;
    this.details = opts.details;
    this.retryAfterSeconds = opts.retryAfterSeconds;
    this.internal = opts.internal;
  }

  get status(): number {
    return ERROR_CODES[this.code];
  }
}

export const notFound = (what = "Resource") => new AppError("NOT_FOUND", `${what} not found`);
export const forbidden = (message = "You do not have permission to do this") => new AppError("FORBIDDEN", message);

/** Turns zod issues into envelope details; values are never echoed, only paths and messages. */
export function zodDetails(error: z.ZodError): ErrorDetail[] {
  return error.issues.slice(0, 20).map((i) => ({
    path: i.path.map(String).join(".") || "(root)",
    message: i.message,
  }));
}

export function validationError(error: z.ZodError, what = "input"): AppError {
  const first = error.issues[0];
  const where = first?.path.length ? ` at ${first.path.join(".")}` : "";
  return new AppError("VALIDATION_FAILED", `Invalid ${what}${where}: ${first?.message ?? "failed validation"}`, {
    details: zodDetails(error),
  });
}

/**
 * Normalises anything thrown into an AppError. Known database conditions get their own
 * codes; everything unknown becomes a generic INTERNAL error (the original is kept as cause).
 */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof z.ZodError) return validationError(err);
  const code = (err as { code?: unknown } | null)?.code;
  if (code === "P2025") return new AppError("NOT_FOUND", "Resource not found", { cause: err });
  if (code === "P2002") return new AppError("CONFLICT", "A resource with these values already exists", { cause: err });
  // A foreign key refused the write: what it pointed to went away, or is still used, meanwhile.
  if (code === "P2003") return new AppError("CONFLICT", "A related resource was changed by another request; try again", { cause: err });
  if (code === "P2034") {
    return new AppError("CONFLICT", "The resource was changed by another request; try again", { cause: err });
  }
  // A transaction that could not start within its maxWait (the one SQLite writer busy for 10 s,
  // or a starved process): the server is overloaded, not broken. 503 with Retry-After lets clients
  // (the SDK and the CLI) retry.
  // SQLite stayed busy (another process writing) through every retry of the transaction.
  if (code === "P1008") return new AppError("SERVICE_UNAVAILABLE", "The server is busy; try again shortly", { cause: err, retryAfterSeconds: 1 });
  if (code === "P2028") return new AppError("SERVICE_UNAVAILABLE", "The server is busy; try again shortly", { cause: err, retryAfterSeconds: 1 });
  if (code === "P1001" || code === "P1002" || code === "P1017" || code === "P2024") {
    return new AppError("SERVICE_UNAVAILABLE", "The database is not reachable; try again shortly", { cause: err });
  }
  return new AppError("INTERNAL", "Something went wrong on our side. It has been logged.", { cause: err });
}


export function errorEnvelope(err: AppError, requestId?: string): ErrorEnvelope {
  return {
    error: {
      code: err.code,
      message: err.message,
      ...(requestId ? { requestId } : {}),
      ...(err.details ? { details: err.details } : {}),
    },
  };
}

/** Parses service input; failures are VALIDATION_FAILED AppErrors (422), never raw ZodErrors. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw validationError(r.error);
  return r.data;
}
