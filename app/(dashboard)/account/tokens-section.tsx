import Link from "next/link";
import { KeyRound } from "lucide-react";
import { Badge, Card, CardHeader, EmptyState } from "@/app/_components/ui";
import type { SessionActor } from "@/lib/auth/session";
import { listMyTokens } from "@/lib/services/account";
import { formatUtc, relative } from "../w/[workspaceId]/tokens/format";

// Account > API tokens: every token the user made, across their workspaces, each linked to its
// workspace's Tokens page (where it is renewed or cancelled). Never a value.
export async function TokensSection({ actor }: { actor: SessionActor }) {
  const tokens = await listMyTokens(actor);
  return (
    <section aria-labelledby="account-tokens">
      <Card>
        <CardHeader title="Your API tokens" description="Tokens you created, in every workspace you belong to. Manage each on its workspace's Tokens page." />
        <h2 id="account-tokens" className="sr-only">
          Your API tokens
        </h2>
        {tokens.length === 0 ? (
          <EmptyState icon={<KeyRound className="size-6" aria-hidden />} title="No tokens yet" description="Create one on a workspace's Tokens page to call the API or use the CLI." />
        ) : (
          <ul className="divide-y divide-zinc-100" data-testid="account-tokens">
            {tokens.map((t) => {
              const state = t.state;
              return (
                <li key={t.id} className="flex flex-wrap items-center justify-between gap-2 px-5 py-3 text-sm">
                  <div className="min-w-0">
                    <div className="font-medium text-zinc-900">{t.name}</div>
                    <div className="text-xs text-zinc-500">
                      <span className="font-mono">
                        {t.prefix}…{t.lastFour}
                      </span>{" "}
                      · {t.kind} token · {state === "active" ? `expires ${relative(t.expiresAt)}` : state} ·{" "}
                      <span title={formatUtc(t.expiresAt)}>{formatUtc(t.expiresAt)}</span>
                    </div>
                  </div>
                  <div className="flex items-center gap-2">
                    <Badge tone={state === "active" ? "green" : "gray"}>{state}</Badge>
                    <Link href={`/w/${t.workspace.id}/tokens`} className="text-brand-700 underline underline-offset-2">
                      {t.workspace.name}
                    </Link>
                  </div>
                </li>
              );
            })}
          </ul>
        )}
      </Card>
    </section>
  );
}
