import { api } from "@/lib/contract";
import { bind } from "@/lib/http/route";
import { signOutEverywhere } from "@/lib/services/account";

export const dynamic = "force-dynamic";

export const POST = bind(api["me.signOutEverywhere"], async ({ actor }) => ({ sessions: await signOutEverywhere(actor) }));
