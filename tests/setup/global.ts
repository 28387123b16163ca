// Runs once: migrates a SQLite template database that every test file copies.
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { migrateTarget } from "../../lib/db/migrate";
import { buildCliIfStale } from "../../lib/cli/build";
import { buildIfStale } from "../../lib/launcher/build";

const ROOT = path.resolve(import.meta.dirname, "../..");

export default async function setup(project: TestProject) {
  const dir = path.join(ROOT, ".tessera-test", `run-${process.pid}-${randomBytes(4).toString("hex")}`);
  mkdirSync(dir, { recursive: true });
  const template = path.join(dir, "template.db");
  await migrateTarget({ provider: "sqlite", file: template }, ROOT);
  project.provide("sqliteTemplate", template);
  // End-to-end tests start the production server: build once here, not in parallel test files.
  // TESSERA_TEST_SKIP_BUILD=1 skips it for a run of integration tests only (no e2e file).
  if (project.name === "sqlite" && process.env.TESSERA_TEST_SKIP_BUILD !== "1") {
    const build = buildIfStale("pipe");
    if (!build.ok) throw new Error(`next build failed:\n${build.output}`);
    // The CLI bundle: the CLI tests run it, and the server hands it out at /cli/tessera.mjs.
    await buildCliIfStale();
  }
  project.provide("testRunDir", dir);
  return () => rmSync(dir, { recursive: true, force: true });
}

declare module "vitest" {
  export interface ProvidedContext {
    sqliteTemplate: string;
    testRunDir: string;
  }
}
