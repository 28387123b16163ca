// Builds the provider-specific Prisma schemas from the one source of models.
// prisma/models.prisma -> prisma/sqlite/schema.prisma, prisma/postgres/schema.prisma
import { readFileSync } from "node:fs";
import path from "node:path";

export const PROVIDERS = ["sqlite", "postgres"] as const;
export type Provider = (typeof PROVIDERS)[number];

export const PRISMA_DIR = path.resolve(import.meta.dirname, "..");

const DATASOURCE: Record<Provider, string> = { sqlite: "sqlite", postgres: "postgresql" };

export function schemaPath(provider: Provider): string {
  return path.join(PRISMA_DIR, provider, "schema.prisma");
}

export function migrationsDir(provider: Provider): string {
  return path.join(PRISMA_DIR, provider, "migrations");
}

/** The full text of a provider's schema.prisma, derived from models.prisma. */
export function renderSchema(provider: Provider): string {
  const models = readFileSync(path.join(PRISMA_DIR, "models.prisma"), "utf8");
  return [
    "// GENERATED from prisma/models.prisma by `npm run db:schemas`. Do not edit by hand.",
    "",
    "generator client {",
    '  provider               = "prisma-client"',
    `  output                 = "../../lib/generated/${provider}"`,
    '  runtime                = "nodejs"',
    '  moduleFormat           = "esm"',
    '  generatedFileExtension = "ts"',
    '  importFileExtension    = "ts"',
    "}",
    "",
    "datasource db {",
    `  provider = "${DATASOURCE[provider]}"`,
    "}",
    "",
    models.trimEnd(),
    "",
  ].join("\n");
}
