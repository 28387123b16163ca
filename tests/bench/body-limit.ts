// `npm run bench:body`: oversized request bodies against the production server's memory (L10).
// It starts the server (SQLite), then sends BENCH_BODY_CONCURRENCY (default 128) concurrent POSTs
// of BENCH_BODY_MB (default 12) MB to /api/v1/tokens/verify, once with Content-Length and once
// chunked (no Content-Length), and prints the server's resident memory (VmRSS) before, right
// after each round, and its peak (VmHWM), with how each request ended (a 413, or the connection
// closed by the server before the whole body was sent). Writes tests/bench/results/body-limit.json.
// The server must answer 413 without buffering the bodies: its memory stays flat.
import http from "node:http";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startServer, type RunningServer } from "../helpers/server";
import { KEYS, OUT_DIR, serverMemoryMb } from "./common";

const CONCURRENCY = Number(process.env.BENCH_BODY_CONCURRENCY ?? 128);
const BODY_MB = Number(process.env.BENCH_BODY_MB ?? 12);
const PIECE = Buffer.alloc(64 * 1024, "a");

type Outcome = { status: number | null; closedEarly: boolean };

/** One POST of `bytes` bytes written in 64 KiB pieces (the client holds no copy of the body). */
function post(url: URL, bytes: number, chunked: boolean): Promise<Outcome> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (!chunked) headers["content-length"] = String(bytes);
    const req = http.request(url, { method: "POST", headers, agent: false });
    let status: number | null = null;
    let sent = 0;
    let done = false;
    const finish = (closedEarly: boolean) => {
      if (done) return;
      done = true;
      req.destroy();
      resolve({ status, closedEarly });
    };
    req.on("response", (res) => {
      status = res.statusCode ?? null;
      res.resume();
      res.on("end", () => finish(sent < bytes));
      res.on("error", () => finish(true));
    });
    req.on("error", () => finish(true));
    const pump = () => {
      while (sent < bytes) {
        const n = Math.min(PIECE.length, bytes - sent);
        sent += n;
        if (!req.write(n === PIECE.length ? PIECE : PIECE.subarray(0, n))) return void req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });
}

async function round(server: RunningServer, chunked: boolean) {
  const url = new URL("/api/v1/tokens/verify", server.url);
  const started = Date.now();
  const outcomes = await Promise.all(Array.from({ length: CONCURRENCY }, () => post(url, BODY_MB * 1024 * 1024, chunked)));
  const statuses: Record<string, number> = {};
  for (const o of outcomes) {
    const key = o.status === null ? "no answer (connection closed)" : String(o.status);
    statuses[key] = (statuses[key] ?? 0) + 1;
  }
  return {
    requests: CONCURRENCY,
    bodyMb: BODY_MB,
    seconds: (Date.now() - started) / 1000,
    statuses,
    closedBeforeWholeBodySent: outcomes.filter((o) => o.closedEarly).length,
    rssAfterMb: serverMemoryMb(server, "VmRSS"),
  };
}

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), "tessera-bench-body-"));
  const server = await startServer({ ...KEYS, DATABASE_URL: `file:${dir}/bench.db`, TESSERA_DATA_DIR: dir, TESSERA_LOG_LEVEL: "warn" });
  try {
    // Warm up the route (module loading, first database use), then take the resting figure.
    for (let i = 0; i < 20; i++) {
      await fetch(`${server.url}/api/v1/tokens/verify`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token: "tsr_usr_x" }) });
    }
    const rssBeforeMb = serverMemoryMb(server, "VmRSS");
    const withLength = await round(server, false);
    const chunked = await round(server, true);
    const check = await fetch(`${server.url}/api/v1/tokens/verify`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token: "tsr_usr_x" }) });
    const result = {
      concurrency: CONCURRENCY,
      bodyMb: BODY_MB,
      rssBeforeMb,
      contentLength: withLength,
      chunked,
      rssPeakMb: serverMemoryMb(server, "VmHWM"),
      afterwardsVerifyStatus: check.status,
    };
    mkdirSync(OUT_DIR, { recursive: true });
    writeFileSync(path.join(OUT_DIR, "body-limit.json"), JSON.stringify(result, null, 2) + "\n");
    console.log(`${CONCURRENCY} concurrent POSTs of ${BODY_MB} MB to /api/v1/tokens/verify`);
    console.log(`server RSS before: ${rssBeforeMb} MB`);
    for (const [name, r] of [["with Content-Length", withLength], ["chunked", chunked]] as const) {
      console.log(
        `${name}: ${JSON.stringify(r.statuses)}, ${r.closedBeforeWholeBodySent} closed before the whole body was sent, ` +
          `${r.seconds.toFixed(1)} s; server RSS after: ${r.rssAfterMb} MB`,
      );
    }
    console.log(`server peak RSS: ${result.rssPeakMb} MB; a normal verify afterwards: ${check.status}`);
    console.log(`wrote ${path.relative(process.cwd(), path.join(OUT_DIR, "body-limit.json"))}`);
  } finally {
    await server.stop();
  }
}

await main();
