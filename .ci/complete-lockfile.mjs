#!/usr/bin/env node
// The npm registry mirror reachable here lacks some platform-specific optional packages
// (e.g. @next/swc-darwin-arm64). `npm install` then leaves them out of package-lock.json, and
// `npm ci` refuses the lockfile ("Missing: … from lock file"). This adds the missing optional
// entries with their os/cpu constraints, as a lockfile made against the full registry has them;
// npm skips them on other platforms, so nothing is downloaded.
// Run after any `npm install` that changes package-lock.json:  node .ci/complete-lockfile.mjs
import { readFileSync, writeFileSync } from "node:fs";

const file = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(file, "utf8"));
const packages = lock.packages;

function platform(name) {
  const os = ["darwin", "win32", "linux", "android", "freebsd", "openharmony", "openbsd", "netbsd", "sunos", "aix"].find(
    (o) => name.includes(`-${o}-`) || name.endsWith(`-${o}`),
  );
  const cpuMap = [
    ["arm64", "arm64"], ["x64", "x64"], ["ia32", "ia32"], ["arm-", "arm"], ["loong64", "loong64"],
    ["ppc64", "ppc64"], ["riscv64", "riscv64"], ["s390x", "s390x"], ["wasm32", "wasm32"],
  ];
  const cpu = cpuMap.find(([needle]) => name.includes(needle))?.[1];
  const libc = /-(gnu|gnueabihf)$/.test(name) ? "glibc" : /-(musl|musleabihf)$/.test(name) ? "musl" : undefined;
  return { os, cpu, libc };
}

let added = 0;
for (const [pkgPath, meta] of Object.entries(packages)) {
  for (const [dep, spec] of Object.entries(meta.optionalDependencies ?? {})) {
    const base = pkgPath ? `${pkgPath}/node_modules/${dep}` : `node_modules/${dep}`;
    if (packages[base] || packages[`node_modules/${dep}`]) continue;
    const { os, cpu, libc } = platform(dep);
    // Platform binaries only (WebAssembly builds have no os, only cpu wasm32): leave the rest to npm.
    if (!cpu || (!os && cpu !== "wasm32")) continue;
    if (!/^\d+\.\d+\.\d+/.test(spec)) continue;
    packages[`node_modules/${dep}`] = {
      version: spec,
      cpu: [cpu],
      ...(libc ? { libc: [libc] } : {}),
      license: meta.license ?? undefined,
      optional: true,
      ...(os ? { os: [os] } : {}),
      engines: meta.engines,
    };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))));
writeFileSync(file, JSON.stringify(lock, null, 2) + "\n");
console.log(`complete-lockfile: added ${added} optional platform entries`);
