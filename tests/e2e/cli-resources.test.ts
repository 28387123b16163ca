// tessera tokens, secrets and workloads against the production server on SQLite (the suite:
// cli-resources.suite.ts). On PostgreSQL the CLI is covered by cli-session.pg.test.ts, which runs on both
// databases: this suite exercises the CLI, not the database, and runs once to keep the suite short.
import { cliResourcesSuite } from "./cli-resources.suite";

cliResourcesSuite();
