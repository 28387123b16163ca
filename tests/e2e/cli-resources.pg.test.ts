// tessera tokens, secrets and workloads against the production server on PostgreSQL (the suite:
// cli-resources.suite.ts). The SQLite project picks up *.pg.test.ts files too: there it is skipped,
// as cli-resources.test.ts runs the same suite.
import { cliResourcesSuite } from "./cli-resources.suite";

cliResourcesSuite({ skip: process.env.TEST_DB !== "postgres" });
