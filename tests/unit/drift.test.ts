// Fails when prisma/models.prisma and either provider's schema or migrations drift apart.
import { describe, expect, it } from "vitest";
import { diffMigrationsToSchema } from "@/lib/db/schema-engine";
import { checkDrift, shadowTarget } from "@/prisma/tools/cli";
import { migrationsDir, renderSchema } from "@/prisma/tools/schemas";

describe("schema drift", () => {
  it("SQLite schema and migrations match the models", async () => {
    expect(await checkDrift(["sqlite"])).toEqual([]);
  });

  it.runIf(process.env.TEST_POSTGRES_URL)("PostgreSQL schema and migrations match the models", async () => {
    expect(await checkDrift(["postgres"])).toEqual([]);
  });

  it("detects a model change that has no migration", async () => {
    const changed = renderSchema("sqlite").replace("model User {", "model User {\n  nickname String?");
    const sql = await diffMigrationsToSchema(shadowTarget("sqlite"), migrationsDir("sqlite"), changed);
    expect(sql).toMatch(/nickname/);
  });
});
