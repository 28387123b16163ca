// The shape of one API operation, declared once in lib/contract/<resource>.ts. Route handlers
// (lib/http/route.ts `bind`), the OpenAPI document (lib/contract/openapi.ts), the SDK (lib/sdk),
// the CLI and the authorization tests all read these declarations. This folder imports only zod,
// the permission names and the resource schemas (lib/schemas, zod only), so that a client can use
// it without any server code.
import type { z } from "zod";
import type { Permission } from "../auth/permissions";
import type { ErrorCode } from "./errors";

export const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type Method = (typeof METHODS)[number];

/**
 * How a caller authenticates:
 * - `bearer`: `Authorization: Bearer <token>` (a user, workspace or workload token);
 * - `workload-credential`: a short-lived workload credential (`tsr_wlc_…`) from the credentials endpoint;
 * - `none`: no credential (public endpoints, rate-limited).
 */
export type Auth = "bearer" | "workload-credential" | "none";

/**
 * The base permission, for documentation, the CLI and the tests. Authorization itself stays in the
 * services, where it can depend on the input (the kind of token created, the role granted):
 * - a permission of lib/auth/permissions.ts: checked against the caller's role in the path's workspace;
 * - `platform.admin`: a platform administrator (a user token of one, with the `platform` scope);
 * - `authenticated`: any valid credential, about the caller itself;
 * - `workload`: a workload token (or its credential) bound to the workload in the path;
 * - `public`: nobody in particular.
 */
export type BasePermission = Permission | "platform.admin" | "authenticated" | "workload" | "public";

export type Operation = {
  /** Stable id: `<resource>.<verb>` (`tokens.create`). The SDK's method and the CLI command follow it. */
  readonly id: string;
  readonly method: Method;
  /** OpenAPI-style path with `{param}` placeholders, e.g. `/api/v1/workspaces/{workspaceId}/tokens`. */
  readonly path: string;
  /** The group in the reference (the resource's name). */
  readonly tag: string;
  readonly summary: string;
  readonly description: string;
  readonly auth: Auth;
  readonly permission: BasePermission;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  /** The success status and its body. Dates travel as ISO 8601 strings (codecs in lib/schemas/common.ts). */
  readonly status: 200 | 201;
  readonly output: z.ZodType;
  readonly outputDescription: string;
  /** A download streamed in one of these content types (the output schema is then the file's text). */
  readonly stream?: { readonly contentTypes: readonly string[] };
  /** The error codes this operation can answer (besides the codes every operation can: 400, 500, 503). */
  readonly errors: readonly ErrorCode[];
  /** Examples for the reference: a request body or query, and the success response. */
  readonly examples: { readonly params?: Record<string, string>; readonly query?: Record<string, string>; readonly body?: unknown; readonly response: unknown };
};

/** Declares an operation; `const` keeps the literal types that the SDK's typing reads. */
export function operation<const O extends Operation>(op: O): O {
  return op;
}

/** The codes any bearer-authenticated operation can answer. */
export const BEARER_ERRORS = ["UNAUTHORIZED", "RATE_LIMITED"] as const satisfies readonly ErrorCode[];
/** The codes any request can get, whatever the operation. */
export const COMMON_ERRORS = ["BAD_REQUEST", "INTERNAL", "SERVICE_UNAVAILABLE"] as const satisfies readonly ErrorCode[];
