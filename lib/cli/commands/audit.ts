// audit list|export (the retention is set in the dashboard).
//
// `list` follows the pages (newest first) until --limit events (or every one with --all).
// `export` streams the whole filtered log, as the server sends it, to stdout or to a file
// (-o FILE: written beside it, then renamed, mode 0600): it is never held whole in memory.
import { createWriteStream, renameSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { Readable, Transform, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { InvalidArgumentError, Option } from "commander";
import type { AuditEventOutput, AuditQuery } from "../../schemas/audit";
import type { Registrar } from "../main";
import { CliError, EXIT } from "../core/exit";
import { opCommand } from "../core/op";
import { json, safeText } from "../core/output";

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");
const PAGE_MAX = 200;

function positiveInt(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError("must be a whole number of at least 1");
  return n;
}

function target(e: AuditEventOutput): string | null {
  if (!e.targetType && !e.targetId) return null;
  return [e.targetType, e.targetId].filter(Boolean).join(":");
}

/** Text for a terminal: control characters of the log's text neutralised (tabs and line breaks stay). */
async function* forTerminal(chunks: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  for await (const c of chunks) yield safeText(decoder.decode(c, { stream: true }));
  const rest = decoder.decode();
  if (rest) yield safeText(rest);
}

/** A failure while the file streams: the disk's (a path, a full disk), a closed pipe, or the connection's. */
function streamFailure(err: unknown, file: string | undefined): CliError | "closed" {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === "EPIPE") return "closed";
  if (file && e?.syscall) return new CliError(`cannot write ${file}: ${e.message}`, EXIT.ERROR);
  const why = (e?.cause as Error | undefined)?.message ?? e?.message ?? String(err);
  return new CliError(`the export broke off before its end (${why}): ${file ? `${file} was not written` : "the output is incomplete"}`, EXIT.NETWORK);
}

export const registerAudit: Registrar = (program, cli) => {
  const audit = program.command("audit").description("Read and export the audit log");

  const list = opCommand(
    audit,
    "list",
    "audit.list",
    {
      handled: ["cursor", "limit"],
      help: `Newest first. Follows the pages until --limit events (default 50), or every one with --all.

Examples:
  tessera audit list --action member. --from 2026-11-01
  tessera audit list --actor ada@acme.example --result denied --all --json`,
    },
    async (input, opts, cmd) => {
      const ctx = cli.ctx(cmd);
      const all = Boolean(opts.all);
      const limit = (opts.limit as number | undefined) ?? 50;
      const workspaceId = await ctx.workspaceId();
      const events: AuditEventOutput[] = [];
      let more = false;
      // Pages of up to 200; the last one may bring more than needed, which are not shown.
      const query = { ...(input.query as AuditQuery), limit: all ? PAGE_MAX : Math.min(PAGE_MAX, limit) };
      await ctx.spin("Reading the audit log", async () => {
        for await (const page of ctx.client().pages("audit.list", { params: { workspaceId }, query })) {
          events.push(...page.data);
          if (!all && events.length >= limit) {
            more = events.length > limit || page.nextCursor !== null;
            events.length = limit;
            break;
          }
        }
      });
      ctx.list(
        events,
        [
          { header: "Time", get: (e) => iso(e.createdAt) },
          { header: "Actor", get: (e) => e.actorLabel ?? e.actorId ?? e.actorType, max: 32 },
          { header: "Action", get: (e) => e.action },
          { header: "Result", get: (e) => e.result },
          { header: "Target", get: (e) => target(e), max: 40 },
          { header: "IP", get: (e) => e.ip },
        ],
        "No audit events match.",
      );
      if (more && !ctx.json) ctx.note(ctx.style.dim(`Showing the newest ${events.length}: --limit N or --all for more, or tessera audit export for the whole log.`));
    },
  );
  list.addOption(new Option("--limit <n>", "How many events at most, newest first (default 50)").argParser(positiveInt).conflicts("all"));
  list.addOption(new Option("--all", "Every matching event (follows every page)"));

  const exp = opCommand(
    audit,
    "export",
    "audit.export",
    {
      handled: ["cursor", "limit"],
      help: `Streamed as it arrives, oldest first: to stdout, or to FILE with -o (written beside it and
renamed when complete, readable by you only).

Examples:
  tessera audit export --format csv -o audit.csv
  tessera audit export --action token. --from 2026-11-01 | jq -c 'select(.result == "denied")'`,
    },
    async (input, opts, cmd) => {
      const ctx = cli.ctx(cmd);
      const workspaceId = await ctx.workspaceId();
      const file = opts.output as string | undefined;
      const download = await ctx.client().request("audit.export", { params: { workspaceId }, query: input.query as AuditQuery });
      const body = download.body;
      if (!body) throw new CliError("the server sent no file", EXIT.ERROR);
      let bytes = 0;
      const count = new Transform({
        transform(chunk: Buffer, _enc, done) {
          bytes += chunk.length;
          done(null, chunk);
        },
      });
      const source = Readable.fromWeb(body as unknown as WebReadableStream<Uint8Array>);
      const tmp = file ? join(dirname(file), `.${basename(file)}.${process.pid}.partial`) : undefined;
      try {
        if (!tmp) {
          const out = ctx.io.stdout as unknown as Writable;
          // On a terminal, the log's text loses its control characters; in a pipe, the bytes pass as sent.
          if (ctx.io.stdout.isTTY) await pipeline(source, count, forTerminal, out, { end: false });
          else await pipeline(source, count, out, { end: false });
        } else {
          await pipeline(source, count, createWriteStream(tmp, { mode: 0o600, flags: "wx" }));
          renameSync(tmp, file!);
        }
      } catch (err) {
        if (tmp) rmSync(tmp, { force: true });
        await download.cancel().catch(() => {});
        const failure = streamFailure(err, file);
        if (failure === "closed") return;
        throw failure;
      }
      if (!file) {
        if (!ctx.json) ctx.note(ctx.style.dim(`Exported ${bytes} bytes (${download.contentType.split(";")[0]}).`));
        return;
      }
      if (ctx.json) ctx.out(json({ file, bytes, contentType: download.contentType, filename: download.filename ?? null }));
      ctx.success(`Exported the audit log to ${file} (${bytes} bytes).`);
    },
  );
  exp.addOption(new Option("-o, --output <file>", "Write to this file instead of stdout"));
};
