// The HTTP server behind `npm start` / `npm run dev`: Next.js behind a cheap guard (guard.mjs):
// security headers on every response, the socket's peer address in `x-tessera-client-ip`
// (Next.js keeps a client-sent X-Forwarded-For as it is, so the peer would be lost and
// forgeable), and refusals Next.js would get wrong: unserved methods (405), undecodable paths
// (400 / 404 page), bodies over the limit (413, never buffered), 405s without envelope or Allow.
// Plain JavaScript so that it runs with node alone.
import http from "node:http";
import path from "node:path";
import next from "next";
import { createGuard } from "./guard.mjs";
import { routeMethods, serverActionIds } from "./route-methods.mjs";

const mode = process.argv[2] === "dev" ? "dev" : "start";
const port = Number(process.env.PORT ?? 3000);
const dir = path.resolve(import.meta.dirname, "../..");

const app = next({ dev: mode === "dev", dir, port, hostname: "localhost" });
const handle = app.getRequestHandler();
await app.prepare();

// The Allow header of a 405 (from the build's route table) and the server-action ids, production
// only: `next dev` compiles routes on demand; there a 405 lists every method the app serves but the
// one refused, and only an action id's shape is checked.
let routes;
let actions = null;
if (mode === "start") {
  const distDir = path.join(dir, ".next");
  try {
    routes = routeMethods(distDir);
  } catch (err) {
    console.warn(`tessera: cannot read the route table (${err instanceof Error ? err.message : err}); a 405 lists every method served but the one refused`);
  }
  try {
    actions = serverActionIds(distDir);
  } catch (err) {
    console.warn(`tessera: cannot read the server actions of the build (${err instanceof Error ? err.message : err}); only their shape is checked`);
  }
}
const guard = createGuard({ handle, dev: mode === "dev", routes, actions });
const server = http.createServer(guard.onRequest);
server.on("checkContinue", guard.onCheckContinue);
if (mode === "dev") {
  const upgrade = app.getUpgradeHandler();
  server.on("upgrade", (req, socket, head) => upgrade(req, socket, head));
}
server.on("error", (err) => {
  // Before listening (the port is taken, say): one line, like every other start-up failure.
  console.error(`tessera: cannot serve on port ${port}: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
server.listen(port, () => {
  console.log(`tessera: ready on http://localhost:${port} (${mode === "dev" ? "development" : "production"})`);
});

// Ctrl-C in a terminal reaches the whole foreground group, and npm forwards it too: the second
// signal must not cut short the first one's graceful close.
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 3000).unref();
  });
}
