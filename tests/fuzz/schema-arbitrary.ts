// Valid values for the JSON Schemas of the OpenAPI document (lib/contract/openapi.ts, the contract's
// zod schemas converted by `z.toJSONSchema`), as fast-check arbitraries.
//
// A small converter rather than a library: zod-fast-check supports zod 3 and fast-check < 4 only,
// and json-schema-fast-check (a 2019 subset) predates fast-check 4; neither is installed. The
// document's input schemas use a small vocabulary (type, properties, required,
// additionalProperties, min/maxLength, pattern, enum, const, anyOf, oneOf, minimum, maximum,
// min/maxItems, items, format date and date-time), which this covers; an unknown keyword throws,
// so that a new schema feature fails the fuzz test instead of being silently ignored.
import fc from "fast-check";
import type { JsonSchema } from "@/lib/contract/openapi";

/** A value chosen when the request is sent: the `pick`-th real id (or value) of a kind in the fuzzed world. */
export class Ref {
  constructor(
    readonly kind: string,
    readonly pick: number,
  ) {}
  toJSON(): string {
    return `<${this.kind}#${this.pick}>`;
  }
}

/** Replaces an object property's arbitrary (for ids and values that should often be real ones). */
export type Override = (name: string, schema: JsonSchema) => fc.Arbitrary<unknown> | undefined;

const KNOWN = new Set([
  "type", "properties", "required", "additionalProperties", "minLength", "maxLength", "pattern", "enum", "const",
  "anyOf", "oneOf", "minimum", "maximum", "minItems", "maxItems", "items", "format", "default", "description", "example",
]);

function isoDate(min: number, max: number): fc.Arbitrary<Date> {
  return fc.date({ min: new Date(min), max: new Date(max), noInvalidDate: true });
}

function stringArb(s: JsonSchema): fc.Arbitrary<string> {
  const min = typeof s.minLength === "number" ? s.minLength : 0;
  const max = typeof s.maxLength === "number" ? s.maxLength : Math.max(min, 40);
  if (s.format === "date-time") {
    // Mostly near now (so that "in the future, within the maximum" is sometimes true), sometimes anywhere.
    const now = Date.now();
    return fc.oneof(isoDate(now - 86_400_000, now + 400 * 86_400_000), isoDate(0, 8.64e15)).map((d) => d.toISOString());
  }
  if (s.format === "date") return isoDate(0, 253_402_300_799_000).map((d) => d.toISOString().slice(0, 10));
  if (typeof s.pattern === "string") {
    // fast-check builds strings from the regex; the length bounds are applied on top. It has no
    // lookahead: a leading length lookahead (`^(?=.{1,253}$)…`, the domain pattern) becomes a filter.
    const look = /^\^\(\?=\.\{(\d+),(\d+)\}\$\)/.exec(s.pattern);
    const pattern = look ? `^${s.pattern.slice(look[0].length)}` : s.pattern;
    const lo = Math.max(min, look ? Number(look[1]) : 0);
    const hi = Math.min(max, look ? Number(look[2]) : Infinity);
    return fc.stringMatching(new RegExp(pattern)).filter((v) => v.length >= lo && v.length <= hi);
  }
  // Mostly short printable text, sometimes full Unicode up to the limit (grapheme-unsafe on purpose).
  return fc.oneof(
    { weight: 4, arbitrary: fc.string({ minLength: min, maxLength: Math.min(max, Math.max(min, 24)) }) },
    { weight: 1, arbitrary: fc.string({ minLength: min, maxLength: Math.min(max, 2000), unit: "grapheme" }) },
  );
}

/** An arbitrary of values that the schema accepts (a valid request body, query value or parameter). */
export function arbitraryOf(schema: JsonSchema, override?: Override, depth = 0): fc.Arbitrary<unknown> {
  for (const k of Object.keys(schema)) if (!KNOWN.has(k)) throw new Error(`schema-arbitrary: unsupported keyword "${k}"`);
  if (depth > 20) throw new Error("schema-arbitrary: schema nested too deeply");
  if ("const" in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  const alternatives = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (alternatives) return fc.oneof(...alternatives.map((a) => arbitraryOf(a, override, depth + 1)));
  switch (schema.type) {
    case "string":
      return stringArb(schema);
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "integer":
    case "number": {
      const min = typeof schema.minimum === "number" ? schema.minimum : -1_000_000;
      const max = typeof schema.maximum === "number" ? schema.maximum : 1_000_000;
      return schema.type === "integer" ? fc.integer({ min, max }) : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
    }
    case "array": {
      const item = arbitraryOf((schema.items ?? {}) as JsonSchema, override, depth + 1);
      const minLength = typeof schema.minItems === "number" ? schema.minItems : 0;
      const maxLength = Math.min(typeof schema.maxItems === "number" ? schema.maxItems : 8, minLength + 6);
      return fc.array(item, { minLength, maxLength });
    }
    case "object": {
      const props = (schema.properties ?? {}) as { [k: string]: JsonSchema };
      const required = (schema.required ?? []) as string[];
      const model: { [k: string]: fc.Arbitrary<unknown> } = {};
      for (const [name, prop] of Object.entries(props)) model[name] = override?.(name, prop) ?? arbitraryOf(prop, override, depth + 1);
      return fc.record(model, { requiredKeys: required });
    }
    default:
      // `{}`: anything JSON.
      if (Object.keys(schema).every((k) => k === "description" || k === "default" || k === "example")) return fc.jsonValue({ maxDepth: 2 });
      throw new Error(`schema-arbitrary: unsupported schema ${JSON.stringify(schema).slice(0, 200)}`);
  }
}
