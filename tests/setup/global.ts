// Runs once: migrates a SQLite template database that every test file copies.
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { migrateTarget } from "../../lib/db/migrate";

const ROOT = path.resolve(import.meta.dirname, "../..");

export default async function setup(project: TestProject) {
  const dir = path.join(ROOT, ".tessera-test", `run-${process.pid}-${randomBytes(4).toString("hex")}`);
  mkdirSync(dir, { recursive: true });
  const template = path.join(dir, "template.db");
  await migrateTarget({ provider: "sqlite", file: template }, ROOT);
  project.provide("sqliteTemplate", template);
  project.provide("testRunDir", dir);
  return () => rmSync(dir, { recursive: true, force: true });
}

declare module "vitest" {
  export interface ProvidedContext {
    sqliteTemplate: string;
    testRunDir: string;
  }
}
