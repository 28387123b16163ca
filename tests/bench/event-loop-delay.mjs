// Preloaded into the server by `npm run soak` only (NODE_OPTIONS=--import <this file>), never in
// production: samples the event loop's delay with perf_hooks.monitorEventLoopDelay and writes one
// JSON line per SOAK_ELD_EVERY_MS to SOAK_ELD_FILE: the interval's figures and the figures since
// the load began (the soak creates `<file>.start` then; until that, start-up is left out), and
// process.memoryUsage() in MB.
// Other node processes that inherit NODE_OPTIONS (the prepare step) are left alone.
import { appendFileSync, existsSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";

const file = process.env.SOAK_ELD_FILE;
if (file && process.argv[1]?.endsWith("server.mjs")) {
  const interval = monitorEventLoopDelay({ resolution: 10 });
  interval.enable();
  let total = null;
  const ms = (ns) => Math.round(ns / 1e4) / 100;
  const figures = (h) => ({ count: h.count, p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max), mean: ms(h.mean) });
  const timer = setInterval(() => {
    if (!total && existsSync(`${file}.start`)) {
      // A second monitor, never reset, from the start of the load on.
      total = monitorEventLoopDelay({ resolution: 10 });
      total.enable();
    }
    // The heap beside it (MB), to tell V8 growing to its ceiling from memory held for good.
    const mem = Object.fromEntries(Object.entries(process.memoryUsage()).map(([k, v]) => [k, Math.round(v / 1048576)]));
    appendFileSync(file, JSON.stringify({ at: Date.now(), pid: process.pid, interval: figures(interval), total: total ? figures(total) : null, mem }) + "\n");
    interval.reset();
  }, Number(process.env.SOAK_ELD_EVERY_MS ?? 5000));
  timer.unref();
}
