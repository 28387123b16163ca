// The whole program: every command registered (lib/cli/commands/*). Loaded by main.ts only when a
// command runs (it evaluates the contract's schemas), and by the docs and the tests.
import type { Command } from "commander";
import { baseProgram, finishProgram, type Cli, type Registrar } from "./base";
import { registerAudit } from "./commands/audit";
import { registerAuth } from "./commands/auth";
import { registerCompletion } from "./commands/completion";
import { registerMembers } from "./commands/members";
import { registerRun } from "./commands/run";
import { registerSecrets } from "./commands/secrets";
import { registerTokens } from "./commands/tokens";
import { registerWorkloads } from "./commands/workloads";
import { registerWorkspaces } from "./commands/workspaces";
import { Ctx } from "./core/context";
import type { Io } from "./core/output";

const REGISTRARS: Registrar[] = [registerAuth, registerWorkspaces, registerMembers, registerTokens, registerSecrets, registerWorkloads, registerAudit, registerRun, registerCompletion];

export function buildProgram(io: Io, state: { code: number } = { code: 0 }): Command {
  const program = baseProgram(io);
  let ctx: Ctx | undefined;
  const cli: Cli = {
    ctx: (cmd) => (ctx ??= new Ctx(io, cmd.optsWithGlobals())),
    exit: (code) => {
      state.code = code;
    },
    io,
  };
  for (const register of REGISTRARS) register(program, cli);
  return finishProgram(program, io);
}
