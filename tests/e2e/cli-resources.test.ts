// tessera tokens, secrets and workloads against the production server on SQLite (the suite:
// cli-resources.suite.ts; cli-resources.pg.test.ts runs it on PostgreSQL).
import { cliResourcesSuite } from "./cli-resources.suite";

cliResourcesSuite();
