import type { SessionActor } from "@/lib/auth/session";

// Placeholder until the profile section is built (issue 15).
export async function ProfileSection({ actor }: { actor: SessionActor }) {
  void actor;
  return null;
}
