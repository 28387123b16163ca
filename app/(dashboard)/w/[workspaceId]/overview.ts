// The Overview's "Get started" checklist, derived from the workspace's data (no state of its own):
// plain functions, used by the page (server) and the checklist (client), and unit-tested.
import { roleCan, type Permission, type Role } from "@/lib/auth/permissions";

export type ChecklistStep = {
  id: "token" | "call" | "secret" | "bind" | "run";
  title: string;
  description: string;
  done: boolean;
  href: string;
  linkLabel: string;
};

/** The cookie that hides the checklist of one workspace ("Dismiss"). */
export function checklistCookie(workspaceId: string): string {
  return `tessera-checklist-${workspaceId}`;
}

/** What the checklist reads: the tokens, secrets and workloads the viewer can see. */
export type ChecklistFacts = {
  tokens: { kind: "user" | "workspace" | "workload"; usedAt: Date | null }[];
  secrets: number;
  /** Workload bindings that take their value from a secret. */
  secretBindings: number;
};

/**
 * The steps this role can take (a viewer has none; a member cannot mint workload tokens, so has no
 * "run" step), each done when the data says it happened: a token exists; a user or workspace token
 * was used; a secret exists; a workload takes a variable from a secret; a workload token was used
 * (`tessera run` fetched its environment with it).
 */
export function checklistSteps(workspaceId: string, role: Role | null, facts: ChecklistFacts): ChecklistStep[] {
  const base = `/w/${workspaceId}`;
  const steps: (ChecklistStep & { needs: Permission })[] = [
    {
      id: "token",
      needs: "token.create",
      title: "Create an API token",
      description: "A user token acts as you in this workspace, for the CLI, SDKs and scripts. Its value is shown once.",
      done: facts.tokens.length > 0,
      href: `${base}/tokens`,
      linkLabel: "Create a token",
    },
    {
      id: "call",
      needs: "token.create",
      title: "Call the API with it",
      description: "Put the token in TESSERA_TOKEN and call the API, for example for this workspace with curl.",
      done: facts.tokens.some((t) => t.kind !== "workload" && t.usedAt !== null),
      href: "/docs/api",
      linkLabel: "API reference",
    },
    {
      id: "secret",
      needs: "secret.create",
      title: "Add a secret",
      description: "A Hugging Face, OpenAI or registry credential, for example: stored encrypted, never shown again.",
      done: facts.secrets > 0,
      href: `${base}/secrets`,
      linkLabel: "Add a secret",
    },
    {
      id: "bind",
      needs: "workload.write",
      title: "Bind it to a workload",
      description: "Create a workload and give one of its environment variables the secret's value.",
      done: facts.secretBindings > 0,
      href: `${base}/workloads`,
      linkLabel: "Open workloads",
    },
    {
      id: "run",
      needs: "token.manage",
      title: "Run the workload",
      description: "Create a workload token for it, then start your process with tessera run: its secrets arrive in the environment.",
      done: facts.tokens.some((t) => t.kind === "workload" && t.usedAt !== null),
      href: `${base}/workloads`,
      linkLabel: "Open workloads",
    },
  ];
  return steps.filter((s) => role !== null && roleCan(role, s.needs)).map(({ needs: _needs, ...s }) => s);
}
