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
  "JAVA_OPTS",
  "CLASSPATH",
  // Other runtimes and build tools that run code named by a variable
  "LUA_INIT",
  "LUA_PATH",
  "LUA_CPATH",
  "GOFLAGS",
  "RUSTC_WRAPPER",
  "RUSTC",
  "PHPRC",
  "PHP_INI_SCAN_DIR",
  "R_PROFILE",
  "R_PROFILE_USER",
  "R_ENVIRON",
  "R_ENVIRON_USER",
  "TCLLIBPATH",
  "TCL_LIBRARY",
  // Where tools read their configuration (which can name programs to run) or send traffic
  "HOME",
  "XDG_CONFIG_HOME",
  "XDG_DATA_HOME",
  "SHELL",
  "PS1",
  "LESSOPEN",
  "LESSCLOSE",
  "MANPAGER",
  "KUBECONFIG",
  "AWS_CONFIG_FILE",
  "AWS_SHARED_CREDENTIALS_FILE",
  "DOCKER_HOST",
  "DOCKER_CONFIG",
  "OPENSSL_CONF",
  "OPENSSL_ENGINES",
  "OPENSSL_MODULES",
  "SSLKEYLOGFILE",
  "NODE_TLS_REJECT_UNAUTHORIZED",
  "NODE_EXTRA_CA_CERTS",
  "SSL_CERT_FILE",
  "SSL_CERT_DIR",
  "REQUESTS_CA_BUNDLE",
  "CURL_CA_BUNDLE",
  "LOCALDOMAIN",
  "RES_OPTIONS",
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
  "ERL_", // ERL_AFLAGS=-eval …, ERL_FLAGS, ERL_ZFLAGS
  "DOTNET_", // DOTNET_STARTUP_HOOKS, …
  "CORECLR_", // CORECLR_PROFILER_PATH, …
  "COR_", // COR_PROFILER_PATH (.NET Framework)
  "PIP_", // PIP_INDEX_URL: packages (code) from elsewhere
  "CARGO_", // CARGO_BUILD_RUSTC_WRAPPER, …
  "JULIA_", // JULIA_LOAD_PATH, JULIA_DEPOT_PATH
  "GEM_", // GEM_PATH, GEM_HOME
  "BUNDLE_", // BUNDLE_GEMFILE
] as const;

/** Suffixes: HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, … send the process's traffic (and the secrets in it) elsewhere. */
const SUFFIXES = ["_PROXY"] as const;

const NAME_SET = new Set<string>(NAMES);

/**
 * Whether a variable name makes a process load code. Case-insensitive: Windows reads `Path` as
 * PATH, and npm reads npm_config_* as NPM_CONFIG_*.
 */
export function isLoaderVariable(envName: string): boolean {
  const upper = envName.toUpperCase();
  return NAME_SET.has(upper) || PREFIXES.some((p) => upper.startsWith(p)) || SUFFIXES.some((x) => upper.endsWith(x));
}

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
