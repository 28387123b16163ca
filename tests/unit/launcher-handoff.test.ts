// lib/launcher/handoff.ts: what npm start's shell evals. Run through a real sh: values from .env
// files (quotes, $(), backticks, newlines) arrive intact and run nothing, and a variable named
// like the shell's own (`node`) cannot choose the program that is exec'd.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { handoffScript } from "@/lib/launcher/handoff";
import { userEnv } from "../helpers/server";

/** Evals the script the way start.sh does, then prints $node, "$@" and the given variables (NUL-separated). */
function evalInSh(script: string, names: string[]): string[] {
  const print = ['printf "%s\\0" "$node" "$#" "$@"', ...names.map((n) => `printf "%s\\0" "$${n}"`)].join("; ");
  const r = spawnSync("sh", ["-c", `set -u; eval "$1"; ${print}`, "sh", script], { encoding: "utf8", env: userEnv({}) });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split("\0").slice(0, -1);
}

describe("npm start's handoff script", () => {
  it("passes hostile values through unchanged, running nothing", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tessera-handoff-"));
    const mark = (n: number) => path.join(dir, `ran-${n}`);
    const values = {
      A: `a'$(touch ${mark(1)})\`touch ${mark(2)}\`'`,
      B: `x'; touch ${mark(3)}; echo '`,
      C: `line1\nline2 $(touch ${mark(4)})\n'`,
      D: `it's "q" \\ $HOME \${HOME} ; | & > ${mark(5)}`,
      DATABASE_URL: `postgresql://u:p'a$(touch ${mark(6)})ss@host/db?schema=x`,
    };
    const out = evalInSh(handoffScript(values, {}, "/usr/bin/node", ["--max-old-space-size=256"]), Object.keys(values));
    expect(out).toEqual(["/usr/bin/node", "1", "--max-old-space-size=256", ...Object.values(values)]);
    for (let n = 1; n <= 6; n++) expect(existsSync(mark(n)), `command ${n} ran`).toBe(false);
  });

  it("a variable named node (from a .env file) does not replace the program exec'd", () => {
    const out = evalInSh(handoffScript({ node: "/tmp/not-node", X: "1" }, {}, process.execPath, []), ["X"]);
    expect(out).toEqual([process.execPath, "0", "1"]);
  });

  it("skips what the shell already has, and refuses a name the shell could not take", () => {
    expect(handoffScript({ SAME: "v", NEW: "w" }, { SAME: "v" }, "/n", [])).not.toContain("SAME");
    expect(() => handoffScript({ "A;touch x": "v" }, {}, "/n", [])).toThrow(/not a valid environment variable name/);
  });
});
