// Secret presets: what each kind of credential looks like, and its usual environment variable.
// Browser-safe (no Node APIs): the Secrets form runs checkPreset as the value is typed, so that its
// warning shows before saving; the value never leaves the page for it. A check returns errors
// (refused) and warnings (accepted, but shown): formats that vendors
// document precisely are errors; formats that vary or changed over time are warnings.
export const PRESETS = ["ssh-public-key", "github", "huggingface", "openai", "datadog", "ngc", "registry", "custom"] as const;
export type Preset = (typeof PRESETS)[number];

export const PRESET_INFO: Record<Preset, { label: string; envName: string | null; hint: string }> = {
  "ssh-public-key": { label: "SSH public key", envName: "SSH_PUBLIC_KEY", hint: "ssh-ed25519 AAAA… comment" },
  github: { label: "GitHub token", envName: "GITHUB_TOKEN", hint: "ghp_…, github_pat_…" },
  huggingface: { label: "Hugging Face token", envName: "HF_TOKEN", hint: "hf_…" },
  openai: { label: "OpenAI API key", envName: "OPENAI_API_KEY", hint: "sk-…" },
  datadog: { label: "Datadog API key", envName: "DD_API_KEY", hint: "32 hexadecimal characters" },
  ngc: { label: "NVIDIA NGC API key", envName: "NGC_API_KEY", hint: "nvapi-…" },
  registry: { label: "Container registry login", envName: "REGISTRY_AUTH", hint: "server, username and password" },
  custom: { label: "Custom", envName: null, hint: "any value" },
};

export type PresetCheck = { errors: string[]; warnings: string[] };

const SSH_TYPES = new Set([
  "ssh-ed25519",
  "ssh-rsa",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "sk-ssh-ed25519@openssh.com",
  "sk-ecdsa-sha2-nistp256@openssh.com",
]);

function checkSsh(value: string): PresetCheck {
  const errors: string[] = [];
  const warnings: string[] = [];
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(value) || /^-----BEGIN/.test(value.trim())) {
    return { errors: ["looks like a private key: paste the public key (the .pub file) instead"], warnings };
  }
  const lines = value.trim().split(/\r?\n/);
  if (lines.length !== 1) return { errors: ["must be one line: <type> <base64 key> [comment]"], warnings };
  const [type, body, ...comment] = lines[0]!.split(/\s+/);
  if (!type || !SSH_TYPES.has(type)) return { errors: [`must start with a key type such as ssh-ed25519 or ssh-rsa`], warnings };
  if (!body || !/^[A-Za-z0-9+/]+={0,2}$/.test(body) || body.length % 4 !== 0) return { errors: ["the key part is not base64"], warnings };
  // atob, not Buffer: the Secrets form runs this check in the browser too, as the value is typed.
  const blob = atob(body);
  // The blob starts with the key type again, as an SSH string (4-byte length, then the name).
  const len = blob.length >= 4 ? ((blob.charCodeAt(0) << 24) | (blob.charCodeAt(1) << 16) | (blob.charCodeAt(2) << 8) | blob.charCodeAt(3)) >>> 0 : -1;
  if (len <= 0 || len > 64 || blob.length < 4 + len || blob.slice(4, 4 + len) !== type) {
    return { errors: ["the key part does not match its type (damaged or truncated key)"], warnings };
  }
  if (type === "ssh-ed25519" && blob.length !== 4 + len + 4 + 32) errors.push("an ed25519 key has 32 bytes: this one is damaged or truncated");
  if (type === "ssh-rsa" && blob.length < 4 + len + 200) warnings.push("this RSA key is short; use at least 2048 bits (or ed25519)");
  if (comment.join(" ").length > 200) errors.push("the comment is longer than 200 characters");
  return { errors, warnings };
}

function prefixed(value: string, rules: { re: RegExp; name: string }[], expected: string): PresetCheck {
  if (/\s/.test(value)) return { errors: ["must not contain spaces or line breaks"], warnings: [] };
  if (rules.some((r) => r.re.test(value))) return { errors: [], warnings: [] };
  return { errors: [], warnings: [`does not look like ${expected}; saved anyway`] };
}

export type RegistryLogin = { server: string; username: string; password: string };

/** A registry login is stored as one JSON value: {"server","username","password"}. */
export function parseRegistry(value: string): { login?: RegistryLogin; errors: string[] } {
  let v: unknown;
  try {
    v = JSON.parse(value);
  } catch {
    return { errors: ["must be the server, username and password"] };
  }
  const o = v as Partial<RegistryLogin>;
  const errors: string[] = [];
  if (!o || typeof o !== "object" || Array.isArray(o)) return { errors: ["must be the server, username and password"] };
  if (Object.keys(o).some((k) => !["server", "username", "password"].includes(k))) errors.push("has fields other than server, username and password");
  if (typeof o.server !== "string" || !/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?(\/[a-z0-9._/-]*)?$/i.test(o.server) || o.server.length > 253) {
    errors.push("server must be a registry host such as nvcr.io or ghcr.io (optionally :port)");
  }
  if (typeof o.username !== "string" || o.username.length < 1 || o.username.length > 256 || /[\u0000-\u001f]/.test(o.username)) errors.push("username is required (at most 256 characters)");
  if (typeof o.password !== "string" || o.password.length < 1 || o.password.length > 4096) errors.push("password is required");
  return errors.length ? { errors } : { login: o as RegistryLogin, errors };
}

export function checkPreset(preset: Preset, value: string): PresetCheck {
  switch (preset) {
    case "ssh-public-key":
      return checkSsh(value);
    case "github":
      return prefixed(value, [{ re: /^gh[pousr]_[A-Za-z0-9]{36}$/, name: "classic" }, { re: /^github_pat_[A-Za-z0-9_]{82}$/, name: "fine-grained" }], "a GitHub token (ghp_…, github_pat_…)");
    case "huggingface":
      return prefixed(value, [{ re: /^hf_[A-Za-z0-9]{30,}$/, name: "hf" }], "a Hugging Face token (hf_…)");
    case "openai":
      return prefixed(value, [{ re: /^sk-(proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}$/, name: "sk" }], "an OpenAI key (sk-…)");
    case "datadog":
      return /^[a-f0-9]{32}$/.test(value) ? { errors: [], warnings: [] } : prefixed(value, [], "a Datadog API key (32 hexadecimal characters)");
    case "ngc":
      return prefixed(value, [{ re: /^nvapi-[A-Za-z0-9_-]{40,}$/, name: "nvapi" }, { re: /^[A-Za-z0-9+/=]{80,100}$/, name: "legacy" }], "an NGC API key (nvapi-…)");
    case "registry":
      return { errors: parseRegistry(value).errors, warnings: [] };
    case "custom":
      return { errors: [], warnings: [] };
  }
}
