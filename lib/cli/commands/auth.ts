// login, logout, whoami, status, and profiles.
//
// `login` takes a token pasted at a prompt that does not echo, or piped with --token-stdin (never
// an argument: arguments land in shell history and `ps`), or, with --web, a new user token that the
// signed-in user approves in the browser (lib/cli/device.ts). The token is checked with GET /me
// and kept in the profile (mode 0600). A workload token is refused: it belongs in a workload's
// environment (TESSERA_TOKEN), for `run` and `env`.
import { hostname } from "node:os";
import type { Command } from "commander";
import type { MeOutput } from "../../schemas/account";
import { isTesseraError, type Tessera } from "../../sdk";
import type { Registrar } from "../main";
import type { Ctx } from "../core/context";
import { CliError, EXIT } from "../core/exit";
import { relativeTime, safeText } from "../core/output";
import { readHidden, readStdin } from "../core/prompt";

async function whoIs(client: Tessera): Promise<MeOutput> {
  try {
    return await client.me.get();
  } catch (err) {
    if (isTesseraError(err) && err.status === 401) throw new CliError("the server refused this token (unknown, expired or cancelled)", EXIT.AUTH);
    throw err;
  }
}

/** A profile of the config file (an own key: "__proto__" is no profile), or exit 5. */
function existingProfile(ctx: Ctx, name: string): void {
  if (!Object.hasOwn(ctx.config.profiles, name)) throw new CliError(`no profile "${safeText(name)}" (see tessera profiles list)`, EXIT.NOT_FOUND);
}

/** login --web's refusals, as login failures (exit 3) with what happened. */
async function deviceLogin<T>(start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (err) {
    if (isTesseraError(err, "ACCESS_DENIED")) throw new CliError("the request was denied in the browser", EXIT.AUTH);
    if (isTesseraError(err, "EXPIRED_TOKEN")) throw new CliError("the code expired or was already used: run tessera login --web again", EXIT.AUTH);
    throw err;
  }
}

function describeMe(ctx: Ctx, me: MeOutput): [string, unknown][] {
  const t = me.token;
  const expires = `${t.expiresAt.toISOString().replace(/\.\d{3}Z$/, "Z")} (${relativeTime(t.expiresAt)})`;
  return [
    ["Server", ctx.url],
    ["Profile", ctx.tokenSource === "env" ? `${ctx.profileName} (token from TESSERA_TOKEN)` : ctx.profileName],
    ["User", me.user ? `${me.user.email}${me.user.name ? ` (${me.user.name})` : ""}${me.user.isPlatformAdmin ? ", platform admin" : ""}` : "-"],
    ["Token", `${t.name} (${t.kind} token, ${t.id})`],
    ["Scopes", t.scopes.join(", ")],
    ["Expires", expires],
    ["Workspace", `${me.workspace.name} (${me.workspace.id}, ${me.workspace.status})`],
    ["Role", me.workspace.role ?? (t.workloadId ? `workload ${t.workloadId}` : "-")],
  ];
}

export const registerAuth: Registrar = (program, cli) => {
  program
    .command("login")
    .description("Log in: keep a token in a profile")
    .option("--token-stdin", "Read the token from stdin (e.g. from a secret manager)")
    .option("--web", "Log in in the browser: approve a new user token for this machine")
    .option("--name <name>", "With --web: this machine's name on the approval page and in the token's name (letters, digits, '.', '-', '_'; default: the host name)")
    .addHelpText(
      "after",
      `
Without --token-stdin or --web, the token is asked for at a prompt that does not echo. Tokens are
never taken as arguments (they would land in shell history and in ps). The token is checked
(GET /api/v1/me) and kept in the profile, in a file only you can read (mode 0600).

Examples:
  tessera login --url https://tessera.example.com
  pass show tessera | tessera login --token-stdin --profile prod
  tessera login --web --url https://tessera.example.com`,
    )
    .action(async (opts: { tokenStdin?: boolean; web?: boolean; name?: string }, cmd: Command) => {
      const ctx = cli.ctx(cmd);
      if (opts.tokenStdin && opts.web) throw new CliError("give --token-stdin or --web, not both", EXIT.USAGE);
      let token: string;
      let method = "token";
      if (opts.web) {
        const { loginWithBrowser } = await import("../device");
        const anon = ctx.clientFor(undefined);
        // A host name's characters only (the server refuses others, so no sentence fits on the approval page).
        if (opts.name !== undefined && !/^[A-Za-z0-9._-]{1,64}$/.test(opts.name)) {
          throw new CliError("--name takes a host name: letters, digits, '.', '-' and '_', at most 64", EXIT.USAGE);
        }
        const machineName = (opts.name ?? (hostname().replace(/[^A-Za-z0-9._-]+/g, "-") || "cli")).slice(0, 64);
        const requested = cmd.optsWithGlobals().workspace ?? ctx.io.env.TESSERA_WORKSPACE;
        const created = await deviceLogin(() => loginWithBrowser({
          client: anon,
          machineName,
          workspaceId: requested,
          onCode: (info) => {
            ctx.note(`First copy your one-time code: ${ctx.style.bold(safeText(info.userCode))}`);
            ctx.note(`Then open ${safeText(info.verificationUri)} in a browser where you are signed in, enter the code, check this machine's name and approve.`);
            ctx.note(ctx.style.dim(`The code expires ${relativeTime(info.expiresAt)}. Waiting for approval…`));
          },
        }));
        token = created.token;
        method = "web";
      } else if (opts.tokenStdin) {
        token = (await readStdin(ctx.io)).trim();
      } else {
        if (!ctx.io.stdin.isTTY) throw new CliError("no terminal to ask for the token: pipe it with --token-stdin, or use --web", EXIT.USAGE);
        token = (await readHidden(ctx.io, `Paste a Tessera token for ${ctx.url} (it will not show): `)).trim();
      }
      if (!token) throw new CliError("no token given", EXIT.USAGE);
      if (/\s/.test(token)) throw new CliError("that does not look like a token (it contains spaces)", EXIT.USAGE);
      const me = await whoIs(ctx.clientFor(token));
      if (me.token.kind === "workload") {
        throw new CliError("that is a workload token: it belongs in the workload's environment as TESSERA_TOKEN, for tessera run and tessera env, not in a profile", EXIT.USAGE);
      }
      const requested = cmd.optsWithGlobals().workspace as string | undefined;
      ctx.saveProfile(
        () => ({
          url: ctx.url,
          token,
          workspace: requested ?? me.workspace.id,
          tokenId: me.token.id,
          tokenName: me.token.name,
          tokenKind: me.token.kind,
          tokenExpiresAt: me.token.expiresAt.toISOString(),
          user: me.user?.email ?? null,
          loginMethod: method,
        }),
        { makeCurrent: true },
      );
      if (ctx.json) ctx.out(`${JSON.stringify({ profile: ctx.profileName, url: ctx.url, token: { id: me.token.id, kind: me.token.kind, name: me.token.name, expiresAt: me.token.expiresAt }, workspace: me.workspace, user: me.user }, null, 2)}\n`);
      ctx.success(
        `Logged in to ${ctx.url}${me.user ? ` as ${safeText(me.user.email)}` : ""} with ${me.token.kind} token "${safeText(me.token.name)}" in workspace ${safeText(me.workspace.name)} (expires ${relativeTime(me.token.expiresAt)}). Profile "${ctx.profileName}" in ${ctx.configPath}.`,
      );
    });

  program
    .command("logout")
    .description("Forget the profile's token (a token made by login --web is also cancelled)")
    .option("--keep-token", "With a login --web token: keep it working on the server (only forget it here)")
    .action(async (opts: { keepToken?: boolean }, cmd: Command) => {
      const ctx = cli.ctx(cmd);
      const p = ctx.profile;
      if (!p.token) {
        ctx.note(`Not logged in (profile "${ctx.profileName}").`);
        return;
      }
      if (p.loginMethod === "web" && p.tokenId && p.workspace && !opts.keepToken) {
        try {
          await ctx.clientFor(p.token, p.url ?? ctx.url).tokens.update({ workspaceId: p.workspace, tokenId: p.tokenId, action: "cancel" });
          ctx.note(`Cancelled the token "${safeText(p.tokenName ?? p.tokenId)}" on the server.`);
        } catch (err) {
          ctx.warn(`could not cancel the token on the server (${isTesseraError(err) ? err.message : (err as Error).message}); cancel it in the dashboard`);
        }
      }
      ctx.saveProfile((prof) => ({ url: prof.url }));
      ctx.success(`Logged out of ${safeText(p.url ?? ctx.url)} (profile "${ctx.profileName}").`);
    });

  program
    .command("whoami")
    .description("Who the token is: its kind, workspace, scopes and expiry (never its value)")
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = cli.ctx(cmd);
      const me = await whoIs(ctx.client());
      if (ctx.json) return ctx.out(`${JSON.stringify({ profile: ctx.profileName, url: ctx.url, ...me }, null, 2)}\n`);
      ctx.item(me, describeMe(ctx, me));
    });

  program
    .command("status")
    .description("Check the server, the login and the config file")
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = cli.ctx(cmd);
      ctx.clientFor(undefined); // a bad address: one line, exit 2
      const report: Record<string, unknown> = { profile: ctx.profileName, url: ctx.url, config: ctx.configPath };
      let code: number = EXIT.OK;
      try {
        const res = await fetch(`${ctx.url}/api/health`, { signal: AbortSignal.timeout(10_000), headers: { accept: "application/json" } });
        const body = (await res.json().catch(() => ({}))) as { status?: string; version?: string; database?: string };
        report.server = { reachable: true, status: body.status ?? `HTTP ${res.status}`, version: body.version, database: body.database };
        if (!res.ok) code = EXIT.ERROR;
      } catch (err) {
        report.server = { reachable: false, error: (err as Error).message };
        code = EXIT.NETWORK;
      }
      if (!ctx.hasToken) {
        report.login = { loggedIn: false };
        if (code === EXIT.OK) code = EXIT.AUTH;
      } else if (code === EXIT.NETWORK) {
        report.login = { loggedIn: false, error: "Login not checked: the server is unreachable" };
      } else {
        try {
          const me = await whoIs(ctx.client());
          report.login = { loggedIn: true, tokenSource: ctx.tokenSource, kind: me.token.kind, name: me.token.name, expiresAt: me.token.expiresAt, workspace: me.workspace, user: me.user?.email ?? null };
        } catch (err) {
          report.login = { loggedIn: false, error: (err as Error).message };
          if (code === EXIT.OK) code = err instanceof CliError ? err.code : EXIT.ERROR;
        }
      }
      cli.exit(code);
      if (ctx.json) return ctx.out(`${JSON.stringify(report, null, 2)}\n`);
      const s = ctx.style;
      const server = report.server as { reachable: boolean; status?: string; version?: string; database?: string; error?: string };
      const login = report.login as { loggedIn: boolean; kind?: string; name?: string; expiresAt?: Date; workspace?: { name: string }; user?: string | null; error?: string };
      const ok = (b: boolean) => (b ? s.green("✓") : s.red("✗"));
      const line = `Server ${ctx.url}: ${server.reachable ? `${server.status}${server.version ? `, version ${server.version}` : ""}${server.database ? `, ${server.database}` : ""}` : `unreachable (${server.error})`}`;
      ctx.out(`${ok(server.reachable && server.status === "ok")} ${safeText(line)}\n`);
      if (login.loggedIn) {
        ctx.out(`${ok(true)} Logged in${login.user ? ` as ${safeText(login.user)}` : ""}: ${login.kind} token "${safeText(login.name ?? "")}", workspace ${safeText(login.workspace?.name ?? "")}, expires ${relativeTime(login.expiresAt!)}\n`);
      } else ctx.out(`${ok(false)} ${safeText(login.error ?? "Not logged in: run tessera login")}\n`);
      ctx.out(`  Profile "${ctx.profileName}" in ${safeText(ctx.configPath)}\n`);
    });

  const profiles = program.command("profiles").description("List, switch and remove profiles (servers and workspaces)");
  profiles
    .command("list")
    .description("List the profiles (never their tokens)")
    .action(async (_o: unknown, cmd: Command) => {
      const ctx = cli.ctx(cmd);
      const rows = Object.entries(ctx.config.profiles).map(([name, p]) => ({
        name,
        current: name === (ctx.config.current ?? "default"),
        url: p.url ?? null,
        workspace: p.workspace ?? null,
        loggedIn: Boolean(p.token),
        user: p.user ?? null,
        tokenName: p.tokenName ?? null,
        tokenExpiresAt: p.tokenExpiresAt ?? null,
      }));
      ctx.list(
        rows,
        [
          { header: "", get: (r) => (r.current ? "*" : " ") },
          { header: "Profile", get: (r) => r.name },
          { header: "Server", get: (r) => r.url },
          { header: "Workspace", get: (r) => r.workspace },
          { header: "Login", get: (r) => (r.loggedIn ? (r.user ?? r.tokenName) : "no") },
        ],
        "No profiles yet: run tessera login.",
      );
    });
  profiles
    .command("use")
    .description("Make a profile the current one")
    .argument("<name>", "The profile")
    .action(async (name: string, _o: unknown, cmd: Command) => {
      const ctx = cli.ctx(cmd);
      existingProfile(ctx, name);
      ctx.config.current = name;
      ctx.writeConfig();
      ctx.success(`Now using profile "${safeText(name)}".`);
    });
  profiles
    .command("remove")
    .description("Delete a profile from the config file (its token is forgotten, not cancelled)")
    .argument("<name>", "The profile")
    .action(async (name: string, _o: unknown, cmd: Command) => {
      const ctx = cli.ctx(cmd);
      existingProfile(ctx, name);
      delete ctx.config.profiles[name];
      if (ctx.config.current === name) delete ctx.config.current;
      ctx.writeConfig();
      ctx.success(`Removed profile "${safeText(name)}".`);
    });
};
