// The SDK's one error type. Its message is the server's (safe to show: the server never puts a
// credential or a secret value in one) or the SDK's own, which names the operation and the
// server's origin, never the token, the path's values or a header.
import type { ErrorCode } from "../contract/errors";

/**
 * `code` is the error envelope's code (`NOT_FOUND`, `VALIDATION_FAILED`, …) when the server sent
 * one, or the SDK's own:
 * - `NETWORK`: the server could not be reached, or the connection broke (status 0);
 * - `TIMEOUT`: the call took longer than `timeoutMs` (status 0);
 * - `ABORTED`: the caller's AbortSignal fired (status 0; `cause` is the signal's reason);
 * - `BAD_RESPONSE`: an answer that is not what the contract says (not JSON, or not the declared
 *   output or error shape; `status` is the HTTP status).
 */
export type TesseraErrorCode = ErrorCode | "NETWORK" | "TIMEOUT" | "ABORTED" | "BAD_RESPONSE";

export type ErrorDetail = { path: string; message: string };

export class TesseraError extends Error {
  override readonly name = "TesseraError";
  /** The HTTP status, or 0 when no answer arrived (NETWORK, TIMEOUT, ABORTED). */
  readonly status: number;
  readonly code: TesseraErrorCode;
  /** The server's request id (envelope or X-Request-Id header), to quote in a support request. */
  readonly requestId: string | undefined;
  /** For VALIDATION_FAILED: each invalid field and what is wrong with it. */
  readonly details: readonly ErrorDetail[] | undefined;
  /** The operation called (`tokens.create`). */
  readonly operationId: string;
  /** For 429 and 503: how long the server asked to wait (Retry-After), in milliseconds. */
  readonly retryAfterMs: number | undefined;

  constructor(init: {
    status: number;
    code: TesseraErrorCode;
    message: string;
    operationId: string;
    requestId?: string;
    details?: readonly ErrorDetail[];
    retryAfterMs?: number;
    cause?: unknown;
  }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.code = init.code;
    this.operationId = init.operationId;
    this.requestId = init.requestId;
    this.details = init.details;
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** True for a TesseraError, optionally of one code: `isTesseraError(err, "NOT_FOUND")`. */
export function isTesseraError(err: unknown, code?: TesseraErrorCode): err is TesseraError {
  return err instanceof TesseraError && (code === undefined || err.code === code);
}
