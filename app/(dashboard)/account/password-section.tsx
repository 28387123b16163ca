import type { SessionActor } from "@/lib/auth/session";

// Placeholder until the password section is built (issue 15).
export async function PasswordSection({ actor }: { actor: SessionActor }) {
  void actor;
  return null;
}
