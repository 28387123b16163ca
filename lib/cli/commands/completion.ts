// `tessera completion bash|zsh|fish`: a completion script made from the command tree itself, so it
// knows every command and flag of this version. Install lines are in the help text.
import type { Command, Option } from "commander";
import type { Registrar } from "../main";
import { CliError, EXIT } from "../core/exit";

type Node = { path: string[]; subcommands: string[]; flags: string[]; descriptions: Record<string, string> };

function walk(cmd: Command, path: string[] = []): Node[] {
  const flags = [...cmd.options, ...(path.length ? [] : [])].flatMap((o: Option) => [o.long, o.short].filter((x): x is string => Boolean(x)));
  const descriptions: Record<string, string> = {};
  for (const c of cmd.commands) descriptions[c.name()] = c.description();
  const here: Node = { path, subcommands: cmd.commands.map((c) => c.name()), flags: [...flags, "--help"], descriptions };
  return [here, ...cmd.commands.flatMap((c) => walk(c, [...path, c.name()]))];
}

const globalFlags = (program: Command) => program.options.flatMap((o) => [o.long, o.short].filter((x): x is string => Boolean(x)));

function bash(program: Command): string {
  const nodes = walk(program);
  const g = globalFlags(program).join(" ");
  const cases = nodes
    .map((n) => `    "${n.path.join(" ")}") words="${[...n.subcommands, ...n.flags].join(" ")}" ;;`)
    .join("\n");
  return `# tessera completion for bash: source <(tessera completion bash)
_tessera() {
  local cur path="" w words i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    [[ "$w" == "--" ]] && return 0
    [[ "$w" == -* ]] && continue
    if [[ -n "$(_tessera_words "\${path:+$path }$w")" ]]; then path="\${path:+$path }$w"; fi
  done
  words="$(_tessera_words "$path") ${g}"
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
_tessera_words() {
  local words=""
  case "$1" in
${cases}
  esac
  echo "$words"
}
complete -o default -F _tessera tessera
`;
}

function zsh(program: Command): string {
  return `#compdef tessera
# tessera completion for zsh: tessera completion zsh > "\${fpath[1]}/_tessera" (then restart the shell)
autoload -U +X bashcompinit && bashcompinit
${bash(program).replace(/^# .*\n/, "")}`;
}

function fish(program: Command): string {
  const lines = ["# tessera completion for fish: tessera completion fish > ~/.config/fish/completions/tessera.fish", "complete -c tessera -f"];
  for (const o of program.options) {
    if (o.long) lines.push(`complete -c tessera -l ${o.long.slice(2)}${o.short ? ` -s ${o.short.slice(1)}` : ""} -d ${quote(o.description)}`);
  }
  for (const n of walk(program)) {
    const cond = n.path.length ? `__fish_seen_subcommand_from ${n.path[n.path.length - 1]}` : "__fish_use_subcommand";
    for (const sub of n.subcommands) lines.push(`complete -c tessera -n ${quote(cond)} -a ${sub} -d ${quote(n.descriptions[sub] ?? "")}`);
    if (n.path.length) {
      for (const f of n.flags.filter((x) => x.startsWith("--"))) lines.push(`complete -c tessera -n ${quote(cond)} -l ${f.slice(2)}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

const quote = (s: string) => `'${s.replace(/'/g, "\\'")}'`;

export const registerCompletion: Registrar = (program, cli) => {
  program
    .command("completion")
    .description("Print a shell completion script (bash, zsh or fish)")
    .argument("<shell>", "bash, zsh or fish")
    .addHelpText(
      "after",
      `
Install:
  bash:  echo 'source <(tessera completion bash)' >> ~/.bashrc
  zsh:   tessera completion zsh > "\${fpath[1]}/_tessera"
  fish:  tessera completion fish > ~/.config/fish/completions/tessera.fish`,
    )
    .action((shell: string) => {
      const make = { bash, zsh, fish }[shell as "bash" | "zsh" | "fish"];
      if (!make) throw new CliError(`unknown shell "${shell}": bash, zsh or fish`, EXIT.USAGE);
      cli.io.stdout.write(make(program));
    });
};
