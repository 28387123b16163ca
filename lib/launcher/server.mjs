// The HTTP server behind `npm start` / `npm run dev`: Next.js with one addition. Next.js keeps a
// client-sent X-Forwarded-For as it is, so the socket's peer address would be lost (and
// forgeable). We record it in `x-tessera-client-ip`, overwriting whatever the client sent.
// Plain JavaScript so that it runs with node alone.
import http from "node:http";
import path from "node:path";
import next from "next";

const mode = process.argv[2] === "dev" ? "dev" : "start";
const port = Number(process.env.PORT ?? 3000);
const dir = path.resolve(import.meta.dirname, "../..");

const app = next({ dev: mode === "dev", dir, port, hostname: "localhost" });
const handle = app.getRequestHandler();
await app.prepare();

const server = http.createServer((req, res) => {
  req.headers["x-tessera-client-ip"] = req.socket.remoteAddress ?? "";
  handle(req, res);
});
if (mode === "dev") {
  const upgrade = app.getUpgradeHandler();
  server.on("upgrade", (req, socket, head) => upgrade(req, socket, head));
}
server.listen(port, () => {
  console.log(`tessera: ready on http://localhost:${port} (${mode === "dev" ? "development" : "production"})`);
});

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 3000).unref();
  });
}
