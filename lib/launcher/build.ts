// Builds the Next.js app when its sources changed since the last build (content hash), so that
// `npm start` always serves the current code without rebuilding when nothing changed.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");
const NEXT_BIN = path.join(ROOT, "node_modules/next/dist/bin/next");
const BUILD_STAMP = path.join(ROOT, ".next/tessera-build-hash");

/** Every input of the Next build; a change to any of them means the build is stale. */
function sourceHash(): string {
  const hash = createHash("sha256");
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        hash.update(path.relative(ROOT, full));
        hash.update(readFileSync(full));
      }
    }
  };
  walk(path.join(ROOT, "app"));
  walk(path.join(ROOT, "lib"));
  walk(path.join(ROOT, "public"));
  for (const f of ["package.json", "package-lock.json", "next.config.js", "tsconfig.json", "postcss.config.mjs", "proxy.ts", "instrumentation.ts", "prisma/models.prisma"]) {
    const full = path.join(ROOT, f);
    if (existsSync(full)) hash.update(f).update(readFileSync(full));
  }
  return hash.digest("hex");
}

export function buildIfStale(stdio: "inherit" | "pipe"): { ok: boolean; built: boolean; output: string } {
  const current = sourceHash();
  const built = existsSync(BUILD_STAMP) ? readFileSync(BUILD_STAMP, "utf8").trim() : "";
  if (built === current && existsSync(path.join(ROOT, ".next/BUILD_ID"))) return { ok: true, built: false, output: "" };
  if (stdio === "inherit") console.log("tessera: building the app (first start, or the code changed)…");
  const started = Date.now();
  const r = spawnSync(process.execPath, [NEXT_BIN, "build"], {
    cwd: ROOT,
    stdio: stdio === "inherit" ? "inherit" : "pipe",
    encoding: "utf8",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
  });
  const output = `${r.stdout ?? ""}${r.stderr ?? ""}`;
  if (r.status !== 0) return { ok: false, built: false, output };
  writeFileSync(BUILD_STAMP, current + "\n");
  if (stdio === "inherit") console.log(`tessera: built in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  return { ok: true, built: true, output };
}
