import { z } from "zod";

/** Ids are cuids: path parameters that do not look like one answer 404 (see lib/http/route.ts). */
export const idSchema = z.string().regex(/^[a-z0-9]{20,32}$/, "must be an id");

/** Display names: trimmed, 1-64 characters, no control characters. */
export const displayNameSchema = z
  .string({ error: "must be a string" })
  .trim()
  .min(1, "must not be empty")
  .max(64, "must be at most 64 characters")
  .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), "must not contain control characters (such as line breaks)");

export const isoDate = z.date().transform((d) => d.toISOString());
