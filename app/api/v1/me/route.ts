import { api } from "@/lib/contract";
import { bind } from "@/lib/http/route";
import { whoAmI } from "@/lib/services/account";

export const dynamic = "force-dynamic";

export const GET = bind(api["me.get"], ({ actor }) => whoAmI(actor));
