"use server";

import { headers } from "next/headers";
import { AppError, toAppError, type ErrorDetail } from "@/lib/errors";
import { requestMeta } from "@/lib/http/request-meta";
import { signUpWithPassword } from "@/lib/services/users";

export type SignUpResult = { ok: true } | { ok: false; message: string; details?: ErrorDetail[] };

// Sign-up needs no session, so it does not go through defineAction; same shape of result.
export async function signUpAction(input: { name: string; email: string; password: string }): Promise<SignUpResult> {
  try {
    await signUpWithPassword(input, requestMeta(await headers()));
    return { ok: true };
  } catch (err) {
    const e = err instanceof AppError ? err : toAppError(err);
    return { ok: false, message: e.message, ...(e.details ? { details: e.details } : {}) };
  }
}
