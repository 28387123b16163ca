// Commands made from the API contract (lib/contract). A command names its operation; its summary,
// its help text and its flags are read from the operation's declaration: one flag per field of the
// body (or query), with the field's description, its allowed values and whether it is required.
// A field the contract adds shows up as a flag, or, if it cannot be a flag, fails the CLI's tests
// until a command handles it (tests/unit/cli.test.ts): help and flags cannot drift from the API.
import { Argument, Command, InvalidArgumentError, Option } from "commander";
import type { z } from "zod";
import { api, type OperationId } from "../../contract";
import type { Operation } from "../../contract/define";
import { usage } from "./exit";

type Def = { type: string; innerType?: z.ZodType; in?: z.ZodType; out?: z.ZodType; entries?: Record<string, string>; element?: z.ZodType; values?: unknown[]; options?: z.ZodType[]; discriminator?: string; shape?: Record<string, z.ZodType>; defaultValue?: unknown };

const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** A field's description (the first sentence), wherever .meta() put it in the wrappers. */
function describe(s: z.ZodType): string {
  let cur: z.ZodType | undefined = s;
  while (cur) {
    const d = (cur as { description?: string }).description;
    if (d) return d.replace(/`/g, "");
    const def = defOf(cur);
    cur = def.innerType ?? (def.type === "pipe" ? def.in : undefined);
  }
  return "";
}

export type FieldKind =
  | { kind: "string" }
  | { kind: "number"; integer: boolean }
  | { kind: "boolean" }
  | { kind: "enum"; values: string[] }
  | { kind: "list"; values?: string[] }
  | { kind: "unsupported"; type: string };

/** What a field takes on the command line, and whether it may be left out or set to null. */
export function fieldInfo(s: z.ZodType): { field: FieldKind; optional: boolean; nullable: boolean } {
  let optional = false;
  let nullable = false;
  let cur = s;
  for (;;) {
    const def = defOf(cur);
    if (def.type === "optional" || def.type === "default" || def.type === "prefault") {
      optional = true;
      cur = def.innerType!;
    } else if (def.type === "nullable") {
      nullable = true;
      cur = def.innerType!;
    } else if (def.type === "pipe") cur = def.in!;
    else break;
  }
  const def = defOf(cur);
  const leaf = (d: Def, t: z.ZodType): FieldKind => {
    if (d.type === "string" || d.type === "date") return { kind: "string" };
    if (d.type === "number" || d.type === "int") {
      const fmt = (t as unknown as { format?: string }).format;
      return { kind: "number", integer: d.type === "int" || (fmt ?? "").includes("int") };
    }
    if (d.type === "boolean") return { kind: "boolean" };
    if (d.type === "enum") return { kind: "enum", values: Object.values(d.entries!) };
    if (d.type === "literal") return { kind: "enum", values: (d.values ?? []).map(String) };
    return { kind: "unsupported", type: d.type };
  };
  // A union of text forms (an enum or "" for "not given", a date or a date-time, a value or null):
  // one flag, an enum when every part is one.
  if (def.type === "union") {
    const parts = def.options!.map((o) => fieldInfo(o));
    const real = parts.filter((p) => !(p.field.kind === "unsupported" && p.field.type === "null"));
    if (real.length < parts.length) nullable = true;
    if (parts.some((p) => p.optional)) optional = true;
    if (real.length && real.every((p) => p.field.kind === "enum")) {
      const values = [...new Set(real.flatMap((p) => (p.field as { values: string[] }).values))].filter((v) => v !== "");
      return { field: { kind: "enum", values }, optional, nullable };
    }
    if (real.length && real.every((p) => p.field.kind === "string" || p.field.kind === "enum")) return { field: { kind: "string" }, optional, nullable };
    return { field: { kind: "unsupported", type: "union" }, optional, nullable };
  }
  if (def.type === "array") {
    const el = fieldInfo(def.element!).field;
    if (el.kind === "string") return { field: { kind: "list" }, optional, nullable };
    if (el.kind === "enum") return { field: { kind: "list", values: el.values }, optional, nullable };
    return { field: { kind: "unsupported", type: "array" }, optional, nullable };
  }
  return { field: leaf(def, cur), optional, nullable };
}

/** The object fields of a body or query schema; for a discriminated union, the option `fixed` selects. */
export function fieldsOf(schema: z.ZodType | undefined, fixed: Record<string, unknown> = {}): Record<string, z.ZodType> {
  if (!schema) return {};
  let cur = schema;
  for (;;) {
    const def = defOf(cur);
    if (def.type === "optional" || def.type === "default" || def.type === "nullable") cur = def.innerType!;
    else if (def.type === "pipe") cur = def.in!;
    else break;
  }
  const def = defOf(cur);
  if (def.type === "object") return { ...(cur as unknown as { shape: Record<string, z.ZodType> }).shape };
  if (def.type === "union" && def.discriminator) {
    const want = fixed[def.discriminator];
    const option = def.options!.find((o) => {
      const f = fieldsOf(o)[def.discriminator!];
      return f && fieldInfo(f).field.kind === "enum" && (fieldInfo(f).field as { values: string[] }).values.includes(String(want));
    });
    if (!option) throw new Error(`CLI: no option of the ${def.discriminator} union for ${String(want)}`);
    return fieldsOf(option);
  }
  throw new Error(`CLI: cannot read fields from a ${def.type} schema`);
}

export const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export type OpInput = { params: Record<string, unknown>; query: Record<string, unknown>; body: Record<string, unknown> };

export type OpSpec = {
  /** Positional arguments, in order: path parameters or fields (`"<tokenId>"`, `"[name]"`). */
  args?: string[];
  /** Body or query fields the command sets itself (never flags), e.g. `{ action: "renew" }`. */
  fixed?: Record<string, unknown>;
  /** Fields the command handles itself (a value read from stdin, say): no flag is made for them. */
  handled?: string[];
  /** Flag names other than the field's kebab-case name: `{ workloadId: "workload" }`. */
  flags?: Record<string, string>;
  /** Help for a positional argument other than the default ("The user's id"): `{ userId: "The member's email or user id" }`. */
  argHelp?: Record<string, string>;
  /** A short flag for a field: `{ name: "n" }`. */
  short?: Record<string, string>;
  /** More help after the contract's description. */
  help?: string;
  /** The one-line description, when the command does more than the operation's summary says (`workspaces use`). */
  summary?: string;
};

type Field = { name: string; in: "body" | "query" | "params"; schema: z.ZodType };

/** Marks a command with the operation it calls, for the tests and the docs. */
export const OPERATION = Symbol("tessera.operation");
export type CommandWithOp = Command & { [OPERATION]?: { id: OperationId; spec: OpSpec; fields: Field[] } };

/**
 * A subcommand of `parent` that calls operation `id`. The action gets the request's parts, filled
 * from the arguments and flags (the workspace parameter is left to the context), and the parsed options.
 */
export function opCommand(
  parent: Command,
  name: string,
  id: OperationId,
  spec: OpSpec,
  action: (input: OpInput, opts: Record<string, unknown>, cmd: Command) => Promise<void>,
): CommandWithOp {
  const op = api[id] as Operation;
  const cmd = parent.command(name) as CommandWithOp;
  cmd.description(spec.summary ?? op.summary);
  const paramFields = Object.keys(fieldsOf(op.params));
  const bodyFields = fieldsOf(op.body, spec.fixed);
  const queryFields = op.query ? fieldsOf(op.query, spec.fixed) : {};
  const fields: Field[] = [
    ...Object.entries(bodyFields).map(([n, s]) => ({ name: n, in: "body" as const, schema: s })),
    ...Object.entries(queryFields).map(([n, s]) => ({ name: n, in: "query" as const, schema: s })),
  ];
  const argNames = (spec.args ?? []).map((a) => a.replace(/[<>[\]]/g, ""));
  for (const [i, a] of (spec.args ?? []).entries()) {
    const key = argNames[i]!;
    const f = fields.find((x) => x.name === key);
    const desc = spec.argHelp?.[key] ?? (f ? describe(f.schema) : paramFields.includes(key) ? `The ${key.replace(/Id$/, "")}'s id${["workloadId", "secretId", "tokenId"].includes(key) ? " or name" : ""}` : "");
    const arg = new Argument(a, desc);
    // An argument for an enum field takes only its values (a usage error otherwise, as for a flag).
    const kind = f ? fieldInfo(f.schema).field : undefined;
    if (kind?.kind === "enum") arg.choices(kind.values);
    cmd.addArgument(arg);
  }
  for (const f of fields) {
    if (argNames.includes(f.name) || spec.handled?.includes(f.name) || (spec.fixed && f.name in spec.fixed)) continue;
    const { field, optional, nullable } = fieldInfo(f.schema);
    const flag = spec.flags?.[f.name] ?? kebab(f.name);
    const short = spec.short?.[f.name] ? `-${spec.short[f.name]}, ` : "";
    let desc = describe(f.schema);
    if (nullable) desc += ' ("none" for null)';
    let option: Option;
    switch (field.kind) {
      case "boolean":
        option = new Option(`${short}--${flag}`, desc);
        break;
      case "enum":
        option = new Option(`${short}--${flag} <value>`, desc).choices(nullable ? [...field.values, "none"] : field.values);
        break;
      case "number":
        option = new Option(`${short}--${flag} <n>`, desc).argParser((v) => {
          if (nullable && v === "none") return v; // null, in the action (commander turns a parser's null into "")
          const n = Number(v);
          if (v.trim() === "" || !Number.isFinite(n) || (field.integer && !Number.isInteger(n))) throw new InvalidArgumentError(`must be a${field.integer ? " whole" : ""} number`);
          return n;
        });
        break;
      case "list":
        option = new Option(`${short}--${flag} <values>`, `${desc}${field.values ? ` (comma-separated: ${field.values.join(", ")})` : " (comma-separated)"}`).argParser((v, prev: string[] | undefined) => {
          const items = [...(prev ?? []), ...v.split(",").map((x) => x.trim()).filter(Boolean)];
          const bad = field.values ? items.find((x) => !field.values!.includes(x)) : undefined;
          if (bad) throw new InvalidArgumentError(`"${bad}" is not one of ${field.values!.join(", ")}`);
          return items;
        });
        break;
      case "string":
        option = new Option(`${short}--${flag} <value>`, desc);
        break;
      default:
        throw new Error(`CLI: ${id} field ${f.name} (${field.type}) cannot be a flag: handle it in the command (spec.handled)`);
    }
    if (!optional && !nullable) option.makeOptionMandatory();
    (option as Option & { field?: string }).field = f.name;
    cmd.addOption(option);
  }
  const where = `${op.method} ${op.path}`;
  cmd.addHelpText("after", `\n${wrap(op.description.replace(/`/g, ""), 100)}${spec.help ? `\n\n${spec.help}` : ""}\n\nAPI: ${where} (permission: ${op.permission})\n`);
  cmd[OPERATION] = { id, spec, fields };
  cmd.action(async (...all: unknown[]) => {
    const c = all[all.length - 1] as Command;
    const opts = c.opts();
    const input: OpInput = { params: {}, query: {}, body: { ...(op.body ? pick(spec.fixed, Object.keys(bodyFields)) : {}) } };
    Object.assign(input.query, pick(spec.fixed, Object.keys(queryFields)));
    argNames.forEach((key, i) => {
      const v = c.processedArgs[i];
      if (v === undefined) return;
      const f = fields.find((x) => x.name === key);
      if (f) input[f.in][key] = v;
      else input.params[key] = v;
    });
    for (const f of fields) {
      const flag = spec.flags?.[f.name] ?? kebab(f.name);
      const v = opts[camel(flag)];
      // "none" is null for a nullable field (set here: commander stores a parser's null as "").
      if (v !== undefined && !argNames.includes(f.name)) input[f.in][f.name] = v === "none" && fieldInfo(f.schema).nullable ? null : v;
    }
    await action(input, opts, c);
  });
  return cmd;
}

const camel = (s: string) => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

function pick(obj: Record<string, unknown> | undefined, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj ?? {}).filter(([k]) => keys.includes(k)));
}

function wrap(text: string, width: number): string {
  const out: string[] = [];
  for (const para of text.split(/\n+/)) {
    let line = "";
    for (const word of para.split(/\s+/)) {
      if (line && line.length + word.length + 1 > width) {
        out.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    if (line) out.push(line);
  }
  return out.join("\n");
}

/** A required argument that was given empty: one clear line, exit 2. */
export function nonEmpty(value: string | undefined, what: string): string {
  if (!value || !value.trim()) throw usage(`${what} is required`);
  return value;
}
