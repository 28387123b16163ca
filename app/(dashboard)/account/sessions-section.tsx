import type { SessionActor } from "@/lib/auth/session";

// Placeholder until the sessions section is built (issue 15).
export async function SessionsSection({ actor }: { actor: SessionActor }) {
  void actor;
  return null;
}
