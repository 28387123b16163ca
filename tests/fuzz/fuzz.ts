// The fuzzer: sends generated requests (tests/fuzz/requests.ts) one at a time to a running server
// and checks four properties on every answer:
//   1. never a 5xx, and the connection is not dropped;
//   2. every error answer has the error envelope, with a code that matches the status;
//   3. a refused write (a non-2xx answer to anything but GET, HEAD or OPTIONS) changes nothing in the
//      hashed state of tests/fuzz/world.ts `snapshot`;
//   4. a 2xx answer matches the OpenAPI document's schema for that status (2 and 4 are
//      tests/helpers/openapi-check.ts's `ResponseChecker`, the check every test's fetch goes through);
// and, for the admin of the other workspace, an operation on the fuzzed workspace's id is not found
// (it never succeeds, nor answers 403 or 409, which would tell the workspace exists).
//
// Used by the bounded run of `npm test` (tests/e2e/fuzz.pg.test.ts) and by `npm run fuzz` (tests/fuzz/run.ts).
import http from "node:http";
import fc from "fast-check";
import { ResponseChecker } from "../helpers/openapi-check";
import { describeSpec, materialize, OPS, specArb, type Concrete, type Spec } from "./requests";
import { buildWorld, changedTables, snapshot, worldIntact, type Pools, type Snapshot, type World } from "./world";

export type FuzzOptions = {
  url: string;
  runs: number;
  seed: number;
  /** "throw": the first property failure fails the run (fast-check prints seed and path); "collect": count them all. */
  mode: "throw" | "collect";
  /** fast-check's `path`, to replay one failure of a seed. */
  path?: string;
  /** Called every `progressEvery` requests. */
  progress?: (stats: FuzzStats) => void;
  progressEvery?: number;
  /** Polled before each request: true ends the run early, with the figures so far (the script's SIGINT). */
  stopRequested?: () => boolean;
};

export type FuzzStats = {
  requests: number;
  seconds: number;
  statuses: Record<string, number>;
  perOperation: Record<string, number>;
  /** Of which answered 2xx: how often each operation got through to its service and succeeded. */
  perOperationOk: Record<string, number>;
  fiveHundreds: number;
  dropped: number;
  failures: string[];
  /** Property failures by property, counted (the list above keeps the first 50). */
  failureCount: number;
  worldsBuilt: number;
  /** Where the time went, in seconds: waiting for answers, hashing the state, checking and rebuilding the world. */
  time: { answers: number; state: number; world: number };
};

type Answer = { status: number; headers: http.IncomingHttpHeaders; body: string } | { error: string };

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** One request; a reused keep-alive socket that the server had closed is retried once (Node's documented pattern). */
function send(base: URL, req: Concrete, retry = true): Promise<Answer> {
  return new Promise((resolve) => {
    const r = http.request(
      { host: base.hostname, port: base.port, method: req.method, path: req.path, headers: req.headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", (e) => resolve({ error: `response: ${e.message}` }));
      },
    );
    r.on("error", (e: NodeJS.ErrnoException) => {
      if (retry && r.reusedSocket && e.code === "ECONNRESET") resolve(send(base, req, false));
      else resolve({ error: `${e.code ?? ""} ${e.message}` });
    });
    r.end(req.body);
  });
}

function headersOf(h: http.IncomingHttpHeaders): Headers {
  const out = new Headers();
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out.set(k, Array.isArray(v) ? v.join(", ") : v);
  return out;
}

/** The kind of pool a created resource's id goes to, by operation. */
const CREATES: Record<string, keyof Pools> = {
  "tokens.create": "token",
  "secrets.create": "secret",
  "workloads.create": "workload",
  "invitations.create": "invitation",
  "workspaces.create": "workspace",
};
const POOL_CAP = 40;

export class Fuzzer {
  private world!: World;
  private readonly checker = new ResponseChecker();
  private readonly base: URL;
  /**
   * The state as last hashed, while it is still the state: after a refused write (which must not
   * change it) and the reads that follow. A read that changed it would show at the next refused
   * write, whose failure then names the reads since the last hash too.
   */
  private known: Snapshot | null = null;
  private readsSinceHash: string[] = [];
  readonly stats: FuzzStats = { requests: 0, seconds: 0, statuses: {}, perOperation: {}, perOperationOk: {}, fiveHundreds: 0, dropped: 0, failures: [], failureCount: 0, worldsBuilt: 0, time: { answers: 0, state: 0, world: 0 } };

  constructor(url: string) {
    this.base = new URL(url);
  }

  async init(): Promise<void> {
    this.world = await buildWorld();
    this.stats.worldsBuilt++;
    this.known = null;
    this.readsSinceHash = [];
  }

  /** Sends one request and answers the properties it broke (an empty list when it holds them all). */
  async one(spec: Spec): Promise<string[]> {
    const req = materialize(spec, this.world.pools, this.world.auth);
    const write = !["GET", "HEAD", "OPTIONS"].includes(req.method);
    let t = Date.now();
    const before = write ? (this.known ?? (await snapshot(this.world))) : null;
    this.stats.time.state += (Date.now() - t) / 1000;
    t = Date.now();
    const answer = await send(this.base, req);
    this.stats.time.answers += (Date.now() - t) / 1000;
    this.stats.requests++;
    this.stats.perOperation[req.op.id] = (this.stats.perOperation[req.op.id] ?? 0) + 1;
    const problems: string[] = [];
    if ("error" in answer) {
      // A body over the limit may be refused (413) before it is all sent; the client then sees the closed socket.
      this.stats.statuses.dropped = (this.stats.statuses.dropped ?? 0) + 1;
      if (spec.bodyKind !== "oversize") {
        this.stats.dropped++;
        problems.push(`the connection was dropped (${answer.error})`);
      }
      this.known = null;
      this.readsSinceHash = [];
      return problems;
    }
    const { status } = answer;
    this.stats.statuses[status] = (this.stats.statuses[status] ?? 0) + 1;
    if (status >= 500) {
      this.stats.fiveHundreds++;
      problems.push(`answered ${status}: ${answer.body.slice(0, 300)}`);
    }
    const pathname = req.path.split("?")[0]!;
    if (status >= 300 && status < 400) {
      // Next.js's own redirects (a trailing slash, a doubled one) are not API answers: they must
      // stay on this server (a path, not another origin: no open redirect).
      const location = String(answer.headers.location ?? "");
      const target = URL.canParse(location, this.base) ? new URL(location, this.base) : null;
      if (!location || target?.origin !== this.base.origin || /^(\/\/|\/\\)/.test(location)) {
        problems.push(`a redirect (${status}) to ${JSON.stringify(location.slice(0, 100))}, not to a path of this server`);
      }
    } else if (req.method !== "HEAD" && req.method !== "OPTIONS") {
      problems.push(...this.documentProblems(req, pathname, status, answer));
    }
    if (spec.caller === "otherAdmin" && req.op.path.startsWith("/api/v1/workspaces/{workspaceId}") && spec.params.workspaceId && "real" in spec.params.workspaceId && !spec.method && !spec.pathTail) {
      const ws = this.world.pools.workspace[spec.params.workspaceId.real.pick % this.world.pools.workspace.length];
      // Answers that do not depend on the workspace are fine: the path's redirects (a `.` segment),
      // an unreadable request or body, and the limits.
      const blind = (status >= 300 && status < 400) || [400, 404, 405, 413, 415, 422, 429].includes(status);
      if (ws === this.world.workspaceId && !blind) {
        problems.push(`the other workspace's admin got ${status}, not 404, for the fuzzed workspace's id`);
      }
    }
    const ok = status >= 200 && status < 300;
    if (ok) this.stats.perOperationOk[req.op.id] = (this.stats.perOperationOk[req.op.id] ?? 0) + 1;
    if (write && !ok) {
      t = Date.now();
      const after = await snapshot(this.world);
      this.stats.time.state += (Date.now() - t) / 1000;
      const changed = changedTables(before!, after);
      if (changed.length) {
        const reads = this.readsSinceHash.length ? ` (or one of the reads since the state was last hashed: ${this.readsSinceHash.join("; ")})` : "";
        problems.push(`a refused write (${status}) changed ${changed.join(", ")}${reads}`);
      }
      this.known = after;
      this.readsSinceHash = [];
    } else if (write) {
      this.known = null;
      this.readsSinceHash = [];
    } else if (this.known) {
      this.readsSinceHash = [...this.readsSinceHash.slice(-9), `${req.method} ${req.op.id} → ${status}`];
    }
    if (write && ok) {
      this.remember(req, answer.body);
      t = Date.now();
      if (!(await worldIntact(this.world))) await this.init();
      this.stats.time.world += (Date.now() - t) / 1000;
    }
    return problems;
  }

  /**
   * Properties 2 and 4, by the OpenAPI document. The path is judged as the server routes it: dot
   * segments (`.`, `..`, `%2e%2e`) resolved as a URL parser does. Two answers of the HTTP edge
   * (lib/launcher/guard.mjs) come before any routing, for every path and method, and only need the
   * envelope: 400 for a path that is not valid percent-encoding, and 413 for a body over the limit.
   */
  private documentProblems(req: Concrete, rawPath: string, status: number, answer: { headers: http.IncomingHttpHeaders; body: string }): string[] {
    const pathname = new URL(rawPath, this.base).pathname;
    const headers = headersOf(answer.headers);
    const type = headers.get("content-type") ?? "";
    let undecodable = false;
    try {
      decodeURIComponent(rawPath);
    } catch {
      undecodable = true;
    }
    if (undecodable && rawPath.startsWith("/api/")) {
      const { problems } = this.checker.problems(req.method, "/api/undecodable", status, type, answer.body, headers);
      return [...(status === 400 ? [] : [`a path that is not valid percent-encoding answered ${status}, not 400`]), ...problems].map((p) => `undecodable path → ${status}: ${p}`);
    }
    // Not an API path once resolved (`/api/v1/me/%2e%2e/%2e%2e/me` is /api/me, which Next.js's
    // HTML 404 page answers, as every path outside /api/v1 that is not a route): only "no 5xx" applies.
    if (!pathname.startsWith("/api/v1/")) return [];
    const edge = status === 413 ? "/api/edge" : pathname;
    const found = this.checker.problems(req.method, edge, status, type, answer.body, headers);
    return found.problems.map((p) => `does not match the OpenAPI document (${found.path} → ${status}): ${p}`);
  }

  /** Keeps the id of a resource a request created, so that later requests reach it. */
  private remember(req: Concrete, text: string): void {
    const kind = CREATES[req.op.id];
    if (!kind) return;
    try {
      const body = JSON.parse(text) as { id?: string; secret?: { id?: string }; invitation?: { id?: string }; value?: string };
      const id = body.id ?? body.secret?.id ?? body.invitation?.id;
      if (id && this.world.pools[kind].length < POOL_CAP) this.world.pools[kind].push(id);
      if (kind === "token" && body.value && this.world.pools.tokenValue.length < POOL_CAP) this.world.pools.tokenValue.push(body.value);
    } catch {
      /* the body was checked above */
    }
  }

  record(spec: Spec, problems: string[]): void {
    if (!problems.length) return;
    this.stats.failureCount += problems.length;
    if (this.stats.failures.length < 50) this.stats.failures.push(`${describeSpec(spec)}\n    ${problems.join("\n    ")}`);
  }
}

/** Runs the fuzzer: `runs` requests from `seed`. */
export async function runFuzz(opts: FuzzOptions): Promise<FuzzStats> {
  const fuzzer = new Fuzzer(opts.url);
  await fuzzer.init();
  const started = Date.now();
  const every = opts.progressEvery ?? 1000;
  const stopped = new Error("stopped");
  const run = fc.assert(
    fc.asyncProperty(specArb(), async (spec) => {
      if (opts.stopRequested?.()) throw stopped;
      const problems = await fuzzer.one(spec);
      fuzzer.record(spec, problems);
      fuzzer.stats.seconds = (Date.now() - started) / 1000;
      if (opts.progress && fuzzer.stats.requests % every === 0) opts.progress(fuzzer.stats);
      if (opts.mode === "throw" && problems.length) throw new Error(`${describeSpec(spec)}\n  ${problems.join("\n  ")}`);
    }),
    // The server's state moves on with every request: shrinking would replay against another state.
    { numRuns: opts.runs, seed: opts.seed, path: opts.path, endOnFailure: true },
  );
  try {
    await run;
  } catch (err) {
    if (!opts.stopRequested?.()) throw err;
  }
  fuzzer.stats.seconds = (Date.now() - started) / 1000;
  agent.destroy();
  return fuzzer.stats;
}

/** The figures of a run, for the script and the test's output. */
export function formatStats(s: FuzzStats, seed: number): string {
  const byStatus = Object.entries(s.statuses)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}: ${v}`)
    .join(", ");
  const perOp = OPS.map((o) => `  ${o.id.padEnd(34)} ${String(s.perOperation[o.id] ?? 0).padStart(6)}  (2xx ${s.perOperationOk[o.id] ?? 0})`).join("\n");
  return [
    `seed: ${seed} (FUZZ_SEED=${seed} replays it)`,
    `requests: ${s.requests} in ${s.seconds.toFixed(1)} s (${(s.requests / Math.max(s.seconds, 0.001)).toFixed(1)} requests/s)`,
    `statuses: ${byStatus}`,
    `time waiting for answers ${s.time.answers.toFixed(1)} s, hashing state ${s.time.state.toFixed(1)} s, checking/rebuilding the world ${s.time.world.toFixed(1)} s`,
    `5xx: ${s.fiveHundreds}, dropped connections: ${s.dropped}, property failures: ${s.failureCount}, worlds built: ${s.worldsBuilt}`,
    `per operation (requests, of which 2xx):\n${perOp}`,
    ...(s.failures.length ? [`failures (first ${s.failures.length}):\n  ${s.failures.join("\n  ")}`] : []),
  ].join("\n");
}
