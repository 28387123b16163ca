// The server-action wrapper: resolve the session actor, parse input, call one service, parse
// the output, and return a typed result instead of throwing (React shows it in the form).
import { z } from "zod";
import type { Actor } from "../auth/actor";
import { getSessionActor } from "../auth/session";
import { AppError, toAppError, validationError, type ErrorCode, type ErrorDetail } from "../errors";
import { log } from "../log";

export type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; error: { code: ErrorCode; message: string; details?: ErrorDetail[] } };

/** FormData becomes a plain object; React's internal `$ACTION_*` fields are dropped. */
function toInput(raw: unknown): unknown {
  if (typeof FormData !== "undefined" && raw instanceof FormData) {
    const out: Record<string, FormDataEntryValue> = {};
    for (const [k, v] of raw.entries()) if (!k.startsWith("$ACTION")) out[k] = v;
    return out;
  }
  return raw;
}

export function defineAction<I extends z.ZodType, O extends z.ZodType>(def: {
  input: I;
  output: O;
  handler: (actor: Actor, input: z.infer<I>) => Promise<z.output<O>>;
}) {
  /** The action body with an explicit actor: what tests and the action itself call. */
  async function run(actor: Actor | null, raw: unknown): Promise<ActionResult<z.input<O>>> {
    try {
      if (!actor) throw new AppError("UNAUTHORIZED", "Your session has ended. Sign in again.");
      const parsed = def.input.safeParse(toInput(raw));
      if (!parsed.success) throw validationError(parsed.error);
      // Encoded as the API encodes it (dates as ISO strings): only the output schema's fields leave.
      const data = z.encode(def.output, await def.handler(actor, parsed.data));
      return { ok: true, data };
    } catch (err) {
      const e = toAppError(err);
      if (e.status >= 500) log.error({ requestId: actor?.meta.requestId, err: (err as Error)?.message }, "action failed");
      return { ok: false, error: { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) } };
    }
  }
  /** Callable as `action(input)` or, with useActionState, as `action(previousState, formData)`. */
  async function action(first: unknown, second?: unknown): Promise<ActionResult<z.input<O>>> {
    const raw = second === undefined ? first : second;
    return run(await getSessionActor(), raw);
  }
  return Object.assign(action, { run });
}
