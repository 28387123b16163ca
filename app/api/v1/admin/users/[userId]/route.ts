import { api } from "@/lib/contract";
import { bind } from "@/lib/http/route";
import { setUserDisabled } from "@/lib/services/users";

export const dynamic = "force-dynamic";

export const PATCH = bind(api["admin.updateUser"], ({ actor, params, body }) => setUserDisabled(actor, params.userId, body.disabled));
