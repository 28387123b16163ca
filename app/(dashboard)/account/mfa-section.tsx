import type { SessionActor } from "@/lib/auth/session";

// Placeholder until the mfa section is built (issue 15).
export async function MfaSection({ actor }: { actor: SessionActor }) {
  void actor;
  return null;
}
