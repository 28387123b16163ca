// The error envelope every API answer that is not a success uses:
//   { "error": { "code": "NOT_FOUND", "message": "...", "requestId": "...", "details"?: [...] } }
// Part of the contract (zod only), so that the SDK and the OpenAPI document share it with the server.
import { z } from "zod";

export const ERROR_CODES = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  VALIDATION_FAILED: 422,
  RATE_LIMITED: 429,
  REAUTH_REQUIRED: 403,
  INTERNAL: 500,
  SERVICE_UNAVAILABLE: 503,
  // The answers of polling for a device login (POST /api/v1/device/token): 400, as RFC 8628 §3.5
  // answers them; the code says which.
  AUTHORIZATION_PENDING: 400,
  SLOW_DOWN: 400,
  ACCESS_DENIED: 400,
  EXPIRED_TOKEN: 400,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** What each code means, for the OpenAPI document's shared error responses. */
export const ERROR_DESCRIPTIONS: Record<ErrorCode, string> = {
  BAD_REQUEST: "The request could not be read (malformed JSON, URL or encoding).",
  UNAUTHORIZED: "No credential, or one that is malformed, unknown, expired, cancelled or disabled. The message says which.",
  FORBIDDEN: "The caller is known but may not do this (role, token scope or kind). The attempt is audited.",
  NOT_FOUND: "No such resource, or one in a workspace the caller cannot see (another workspace's ids answer 404).",
  METHOD_NOT_ALLOWED: "The path exists but does not serve this method. The Allow header lists the methods it serves.",
  CONFLICT: "The change conflicts with the current state (a duplicate name, a concurrent change, a workspace that is not active).",
  PAYLOAD_TOO_LARGE: "The request body is larger than 1 MiB.",
  UNSUPPORTED_MEDIA_TYPE: "The body is not sent as application/json.",
  VALIDATION_FAILED: "The input is well-formed but invalid. `details` lists each field and what is wrong with it.",
  RATE_LIMITED: "Too many requests or failed attempts. Retry after the number of seconds in the Retry-After header.",
  REAUTH_REQUIRED:
    "Dashboard sessions only: a sensitive action (deleting a workspace, an admin or owner token, a new email or password, setting up or turning off the second factor, claiming a domain) needs the user to confirm it is them within the last 10 minutes. API tokens never get it.",
  INTERNAL: "Something went wrong on the server. It has been logged with the request id.",
  SERVICE_UNAVAILABLE: "The database is not reachable. Retry shortly (see Retry-After when present).",
  AUTHORIZATION_PENDING: "Device login: the code has not been approved or denied yet. Poll again after the interval.",
  SLOW_DOWN: "Device login: polled sooner than the interval allows. Poll again, and add 5 seconds to the interval from now on.",
  ACCESS_DENIED: "Device login: the person denied the request (or the approval no longer holds). Stop polling.",
  EXPIRED_TOKEN: "Device login: the device code expired, was already used (it works once), or is unknown. Stop polling and start again.",
};

export const errorEnvelopeSchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]).meta({ description: "A stable, machine-readable error code." }),
      message: z.string().meta({ description: "A message that is safe to show to a person. It never holds a credential or a secret value." }),
      requestId: z.string().optional().meta({ description: "The request's id (also in the X-Request-Id header); quote it in a support request." }),
      details: z
        .array(
          z.object({
            path: z.string().meta({ description: "The field, as a dotted path (`(root)` for the whole input)." }),
            message: z.string().meta({ description: "What is wrong with it. The value itself is never echoed." }),
          }),
        )
        .optional()
        .meta({ description: "For VALIDATION_FAILED: each invalid field (at most 20)." }),
    })
    .meta({ description: "What went wrong." }),
  })
  .meta({
    id: "Error",
    description: "The one shape of every error answer.",
    example: { error: { code: "NOT_FOUND", message: "Token not found", requestId: "9f1c2d4e-0b7a-4c3e-8f51-6a2b9c0d1e2f" } },
  });
export type ErrorEnvelope = z.infer<typeof errorEnvelopeSchema>;
