// Types of guard.mjs (plain JavaScript, run by node alone).
import type { IncomingMessage, ServerResponse } from "node:http";

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

export declare const UNDECODABLE_PAGE: string;
export declare function redactPath(pathname: string): string;
export declare function createGuard(opts: {
  handle: (req: IncomingMessage, res: ServerResponse) => unknown;
  dev?: boolean;
  /** The Allow of the route handler serving a path (route-methods.mjs): now if loaded, or loading it. */
  routes?: { loaded: (pathname: string) => string | null | undefined; load: (pathname: string) => Promise<string | null> };
  /** The build's server-action ids (null: unknown, only their shape is checked). */
  actions?: Set<string> | null;
  write?: (line: string) => void;
}): { onRequest: Listener; onCheckContinue: Listener };
