// `tessera env`'s formats without a server: quoting that the consumers read back exactly, and a
// Kubernetes Secret that YAML cannot misread (keys such as ON or y, values such as "true" or "123").
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { dotenvQuote, k8sName, renderEnv, shellQuote } from "@/lib/cli/commands/run";
import { CliError } from "@/lib/cli/core/exit";

const w = (env: Record<string, string>, workloadName: string | null = "llama-serve") => ({ env, workloadId: "cmx57cgzg0023k2wl7a1b2c3d", workloadName });

describe("tessera env formats", () => {
  it("shell: single quotes, ' as '\\'' — bash gets every value back, nothing is run", () => {
    const values = ["plain", "it's", "''", "$(echo run)", "`echo run`", "a\nb", "\\", " spaced ", "$HOME"];
    const script = `${values.map((v, i) => `V${i}=${shellQuote(v)}`).join("\n")}\nprintf '%s\\0' ${values.map((_, i) => `"$V${i}"`).join(" ")}`;
    expect(execFileSync("bash", ["-c", script], { encoding: "utf8", env: { PATH: process.env.PATH, NODE_ENV: "test" } }).split("\0").slice(0, -1)).toEqual(values);
  });

  it("dotenv: single-quoted, or double-quoted with \\\\, \\\", \\$, \\`, \\n and \\r escaped when the value holds a single quote or a line break", () => {
    expect(dotenvQuote('a "b" $C \\d')).toBe(`'a "b" $C \\d'`);
    expect(dotenvQuote("it's\r\n\\\"")).toBe(`"it's\\r\\n\\\\\\""`);
    expect(dotenvQuote("a\n$B`c`")).toBe('"a\\n\\$B\\`c\\`"');
    expect(renderEnv("dotenv", w({ B: "x", A: "y" }))).toBe("A='y'\nB='x'\n");
  });

  it("dotenv: a value with line breaks cannot add variables for a line-based reader (docker --env-file, kubectl --from-env-file)", () => {
    const env = { A: "abc\nLD_PRELOAD=/x\nZ=", B: "cr\rX=1", C: "crlf\r\nY=2", D: "plain" };
    const out = renderEnv("dotenv", w(env));
    const lines = out.split("\n").slice(0, -1);
    expect(lines).toHaveLength(4);
    expect(out).not.toMatch(/\r/);
    // What a line-based reader sees: exactly the four names, nothing else.
    expect(lines.map((l) => l.slice(0, l.indexOf("=")))).toEqual(["A", "B", "C", "D"]);
    expect(lines[0]).toBe('A="abc\\nLD_PRELOAD=/x\\nZ="');
    // A reader that unquotes double-quoted values (docker compose, dotenv libraries) gets each value back.
    const unquote = (q: string) => q.slice(1, -1).replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c === "r" ? "\r" : c));
    for (const [i, [, v]] of Object.entries(env).entries()) {
      const q = lines[i]!.slice(2);
      expect(q.startsWith('"') ? unquote(q) : q.slice(1, -1)).toBe(v);
    }
  });

  it("json: one object, keys in order", () => {
    expect(JSON.parse(renderEnv("json", w({ B: "1", A: "true" })))).toEqual({ A: "true", B: "1" });
  });

  it("k8s-secret: keys and values that YAML would otherwise read as booleans, numbers or null stay strings", () => {
    const env = { ON: "true", y: "123", NULL: "null", A_B: "x: y\n- z" };
    const doc = parseYaml(renderEnv("k8s-secret", w(env), { namespace: "ml" }), { version: "1.1" }) as { metadata: Record<string, unknown>; data: Record<string, unknown> };
    expect(doc.metadata).toMatchObject({ name: "llama-serve", namespace: "ml" });
    expect(Object.keys(doc.data).sort()).toEqual(Object.keys(env).sort());
    for (const [k, v] of Object.entries(env)) expect(Buffer.from(doc.data[k] as string, "base64").toString("utf8")).toBe(v);
    expect(parseYaml(renderEnv("k8s-secret", w({})))).toMatchObject({ kind: "Secret", data: {} });
  });

  it("a Secret's name from the workload's: a DNS-1123 name, or one made from the id", () => {
    expect(k8sName("llama-serve", "x")).toBe("llama-serve");
    expect(k8sName("Llama_Serve v2!", "x")).toBe("llama-serve-v2");
    expect(k8sName("--", "cmx57cgzg0023k2wl7a1b2c3d")).toBe("tessera-cmx57cgzg0023k2wl7a1b2c3d");
    expect(k8sName(null, "cmx57cgzg0023k2wl7a1b2c3d")).toBe("tessera-cmx57cgzg0023k2wl7a1b2c3d");
    expect(k8sName("a".repeat(100), "x")).toHaveLength(63);
  });

  it("refuses a name the format cannot hold", () => {
    expect(() => renderEnv("shell", w({ "A-B": "x" }))).toThrow(CliError);
    expect(() => renderEnv("dotenv", w({ "1A": "x" }))).toThrow(CliError);
    expect(() => renderEnv("k8s-secret", w({ "A B": "x" }))).toThrow(CliError);
  });
});
