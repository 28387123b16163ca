import { z } from "zod";

/** Ids are cuids: path parameters that do not look like one answer 404 (see lib/http/route.ts). */
export const idSchema = z.string().regex(/^[a-z0-9]{20,32}$/, "must be an id");

/**
 * Characters that are invisible or change how text around them is shown: Unicode controls (Cc),
 * format characters (Cf: zero-width space and joiners, the bidirectional overrides and isolates such
 * as U+202E, the byte-order mark, soft hyphen), line and paragraph separators and lone surrogates.
 * A name holding one can pass for another name, or reorder what is shown after it.
 */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;

/** The first hidden character of `v` as `U+XXXX`, or null; `multiline` lets tab, CR and LF through. */
export function hiddenCharacter(v: string, multiline = false): string | null {
  for (const ch of v) {
    if (multiline && (ch === "\n" || ch === "\r" || ch === "\t")) continue;
    if (HIDDEN.test(ch)) return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
  }
  return null;
}

/** Removes hidden characters (for names that come from elsewhere, such as an SSO profile). */
export function withoutHiddenCharacters(v: string): string {
  return [...v].filter((ch) => !HIDDEN.test(ch)).join("");
}

/**
 * The one check of every user-visible name and text field: no control, zero-width, bidirectional
 * or other invisible characters (multi-line fields keep tab and line breaks). The message names the
 * character found.
 */
export function visibleText<T extends z.ZodType<string, string>>(schema: T, opts: { multiline?: boolean } = {}) {
  return schema.refine((v) => hiddenCharacter(v, opts.multiline) === null, {
    error: (issue) =>
      `must not contain control or invisible characters (zero-width, right-to-left override and the like${opts.multiline ? "" : ", or line breaks"}): found ${hiddenCharacter(String(issue.input), opts.multiline)}`,
  });
}

/** Display names (workspaces, tokens, users): trimmed, 1-64 characters, nothing invisible. */
export const displayNameSchema = visibleText(
  z.string({ error: "must be a string" }).trim().min(1, "must not be empty").max(64, "must be at most 64 characters"),
);

/**
 * A point in time: an ISO 8601 string on the wire (`format: date-time` in JSON Schema), a Date in
 * code. A zod 4 codec: the server encodes its Dates (`z.encode`), clients decode the strings
 * (`parse`), and `z.toJSONSchema(schema, { io: "input" })` describes the wire form.
 */
export const isoDate = z.codec(z.iso.datetime({ offset: true }), z.date(), {
  decode: (s) => new Date(s),
  encode: (d) => d.toISOString(),
});
