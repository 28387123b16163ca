// The CLI's exit codes (docs/cli.md lists them) and its one error type. Every failure leaves as one
// line on stderr and one of these codes, so scripts can tell "log in again" from "no such thing".
import { isTesseraError, type TesseraError } from "../../sdk/errors";

export const EXIT = {
  /** Success. */
  OK: 0,
  /** Anything not listed below: the server refused the input (422), a limit (429), a server error. */
  ERROR: 1,
  /** Usage: an unknown command or flag, a missing or bad argument, a confirmation needed without a terminal. */
  USAGE: 2,
  /** Authentication: no token, or the server refused it (401: unknown, expired or cancelled). */
  AUTH: 3,
  /** Permission: the token or its user may not do this (403). */
  FORBIDDEN: 4,
  /** Not found (404), including another workspace's ids. */
  NOT_FOUND: 5,
  /** Conflict (409): a name already taken, a state that changed meanwhile. */
  CONFLICT: 6,
  /** Network: the server could not be reached, or did not answer in time. */
  NETWORK: 7,
  /** The user answered no at a confirmation, or pressed Ctrl-C at a prompt. */
  CANCELLED: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failure the CLI explains itself: its message is shown as is, and the process exits with `code`. */
export class CliError extends Error {
  override readonly name = "CliError";
  constructor(
    message: string,
    readonly code: number = EXIT.ERROR,
  ) {
    super(message);
  }
}

export const usage = (message: string) => new CliError(message, EXIT.USAGE);

/** The exit code for an SDK error, by HTTP status (or the SDK's own codes). */
export function exitCodeOf(err: TesseraError): number {
  if (err.code === "NETWORK" || err.code === "TIMEOUT") return EXIT.NETWORK;
  if (err.code === "ABORTED") return EXIT.CANCELLED;
  switch (err.status) {
    case 401:
      return EXIT.AUTH;
    case 403:
      return EXIT.FORBIDDEN;
    case 404:
      return EXIT.NOT_FOUND;
    case 409:
      return EXIT.CONFLICT;
    default:
      return EXIT.ERROR;
  }
}

/** One line for an SDK error: the server's message, its field details, and what to do next. */
export function describeApiError(err: TesseraError): string {
  let line = err.message;
  if (err.details?.length) line += `: ${err.details.map((d) => (d.path ? `${d.path} ${d.message}` : d.message)).join("; ")}`;
  if (err.status === 401) line += " (log in again: tessera login)";
  if (err.code === "NETWORK" && !/TESSERA_URL/.test(line)) line += ". Is the server running? Check --url or TESSERA_URL";
  if (err.status === 429 && err.retryAfterMs !== undefined) line += ` (try again in ${Math.ceil(err.retryAfterMs / 1000)} s)`;
  return line.replace(/\s*\n\s*/g, " ");
}

export { isTesseraError };
