// docs/cli.md's command reference, made from the program itself (`npm run docs:cli` writes it
// between the reference markers; tests/unit/cli.test.ts fails when the file is out of date).
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Command, Option } from "commander";
import { api } from "../contract";
import type { Operation } from "../contract/define";
import { OPERATION, type CommandWithOp } from "./core/op";
import { buildProgram } from "./program";
import { processIo } from "./core/output";

export const START = "<!-- reference:start (npm run docs:cli writes this part) -->";
export const END = "<!-- reference:end -->";

const fullName = (c: Command): string => {
  const names: string[] = [];
  for (let cur: Command | null = c; cur; cur = cur.parent) names.unshift(cur.name());
  return names.join(" ");
};

function optionLine(o: Option): string {
  const choices = (o as Option & { argChoices?: string[] }).argChoices;
  return `- \`${o.flags}\`${o.mandatory ? " (required)" : ""}: ${o.description}${choices ? ` One of: ${choices.map((c) => `\`${c}\``).join(", ")}.` : ""}`;
}

export function cliReference(program: Command = buildProgram(processIo())): string {
  const out: string[] = [];
  const visit = (c: Command, depth: number) => {
    if (c.name() === "help") return;
    if (c !== program) {
      const args = c.registeredArguments.map((a) => (a.required ? `<${a.name()}>` : `[${a.name()}]`)).join(" ");
      out.push(`${"#".repeat(Math.min(depth + 2, 4))} \`${fullName(c)}${args ? ` ${args}` : ""}\``, "");
      out.push(c.description(), "");
      const op = (c as CommandWithOp)[OPERATION];
      if (op) {
        const o = api[op.id] as Operation;
        out.push(`API: \`${o.method} ${o.path}\` (\`${op.id}\`, permission \`${o.permission}\`).`, "");
      }
      for (const a of c.registeredArguments) if (a.description) out.push(`- \`${a.required ? `<${a.name()}>` : `[${a.name()}]`}\`: ${a.description}`);
      for (const o of c.options) if (!o.hidden) out.push(optionLine(o));
      if (c.registeredArguments.length || c.options.length) out.push("");
    }
    for (const sub of c.commands) visit(sub, c === program ? 0 : depth + 1);
  };
  out.push("### Global options", "", ...program.options.map(optionLine), "");
  visit(program, 0);
  return out.join("\n").replace(/\n{3,}/g, "\n\n").trim() + "\n";
}

export function writeReference(file: string): boolean {
  const text = readFileSync(file, "utf8");
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  if (a === -1 || b === -1) throw new Error(`${file} has no reference markers`);
  const next = `${text.slice(0, a + START.length)}\n\n${cliReference()}\n${text.slice(b)}`;
  if (next === text) return false;
  writeFileSync(file, next);
  return true;
}

if (process.argv[1]?.endsWith("lib/cli/docs.ts")) {
  const file = path.resolve(import.meta.dirname, "../../docs/cli.md");
  process.stdout.write(writeReference(file) ? `updated ${file}\n` : `${file} is up to date\n`);
}
