// Environment variables that make a process load or run code of someone's choice: a workload
// variable named like this turns a workload into a way to read every other variable (including
// secrets) or to run a binary of the writer's choice. Refused in workloads unless an admin of the
// workspace allowed that exact name (Settings > General, audited). Pure data: the dashboard uses it too.

/** Exact names. */
const NAMES = [
  // shells
  "PATH",
  "ENV",
  "BASH_ENV",
  "SHELLOPTS",
  "BASHOPTS",
  "PROMPT_COMMAND",
  "PS4",
  "IFS",
  "CDPATH",
  "ZDOTDIR",
  // Node.js
  "NODE_OPTIONS",
  "NODE_PATH",
  "NODE_REPL_EXTERNAL_MODULE",
  // Python
  "PYTHONPATH",
  "PYTHONSTARTUP",
  "PYTHONHOME",
  "PYTHONUSERBASE",
  "PYTHONWARNINGS",
  "PYTHONBREAKPOINT",
  "PYTHONINSPECT",
  "PYTHONEXECUTABLE",
  // Perl, Ruby
  "PERL5OPT",
  "PERL5LIB",
  "PERLLIB",
  "PERL5DB",
  "RUBYOPT",
  "RUBYLIB",
  // JVM
  "JAVA_TOOL_OPTIONS",
  "_JAVA_OPTIONS",
  "JDK_JAVA_OPTIONS",
  "CLASSPATH",
  // glibc and tools that run helpers
  "GCONV_PATH",
  "HOSTALIASES",
  "LOCPATH",
  "BROWSER",
  "EDITOR",
  "VISUAL",
  "PAGER",
] as const;

/** Prefixes: every name that starts with one of these. */
const PREFIXES = [
  "LD_", // LD_PRELOAD, LD_LIBRARY_PATH, LD_AUDIT, …
  "DYLD_", // macOS dyld
  "GIT_", // GIT_SSH_COMMAND, GIT_EXEC_PATH, GIT_CONFIG_*, …
  "NPM_CONFIG_", // npm's node-options, script-shell
  "MALLOC_",
] as const;

const NAME_SET = new Set<string>(NAMES);

/**
 * Whether a variable name makes a process load code. Case-insensitive: Windows reads `Path` as
 * PATH, and npm reads npm_config_* as NPM_CONFIG_*.
 */
export function isLoaderVariable(envName: string): boolean {
  const upper = envName.toUpperCase();
  return NAME_SET.has(upper) || PREFIXES.some((p) => upper.startsWith(p));
}

/** The rule in words, for messages and the docs. */
export const LOADER_VARIABLES_TEXT = `${NAMES.join(", ")}, and names starting with ${PREFIXES.map((p) => `${p}`).join(", ")}`;

/** Parses the stored comma-separated allow list. */
export function parseAllowedEnvNames(stored: string | null | undefined): string[] {
  return (stored ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Loader variables among `names` that the workspace has not allowed, in order. */
export function refusedLoaderVariables(names: readonly string[], allowed: readonly string[]): string[] {
  const ok = new Set(allowed);
  return names.filter((n) => isLoaderVariable(n) && !ok.has(n));
}
