"use server";

// Account > Second factor: enrol an authenticator app, recovery codes, turning it off. Each action
// only parses input and calls lib/services/mfa.ts with the session actor.
import { z } from "zod";
import { defineAction } from "@/lib/http/action";
import { confirmMfaEnrolment, disableMfa, prepareMfaDisable, regenerateRecoveryCodes, startMfaEnrolment } from "@/lib/services/mfa";

const code = z.object({ code: z.string().trim().min(1, "is required").max(64) });
const recoveryCodes = z.object({ recoveryCodes: z.array(z.string()) });
const workspaces = z.object({ requiredBy: z.array(z.object({ id: z.string(), name: z.string() })) });

export const startMfaEnrolmentAction = defineAction({
  input: z.object({}),
  output: z.object({ keyText: z.string(), uri: z.string(), qr: z.object({ size: z.number(), path: z.string() }) }),
  handler: (actor) => startMfaEnrolment(actor),
});

export const confirmMfaEnrolmentAction = defineAction({ input: code, output: recoveryCodes, handler: (actor, input) => confirmMfaEnrolment(actor, input) });

export const regenerateRecoveryCodesAction = defineAction({ input: code, output: recoveryCodes, handler: (actor, input) => regenerateRecoveryCodes(actor, input) });

export const prepareMfaDisableAction = defineAction({ input: z.object({}), output: workspaces, handler: (actor) => prepareMfaDisable(actor) });

export const disableMfaAction = defineAction({ input: code, output: workspaces, handler: (actor, input) => disableMfa(actor, input) });
