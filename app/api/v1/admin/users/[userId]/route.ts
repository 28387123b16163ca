import { api } from "@/lib/contract";
import { bind } from "@/lib/http/route";
import { updateUser } from "@/lib/services/users";

export const dynamic = "force-dynamic";

export const PATCH = bind(api["admin.updateUser"], ({ actor, params, body }) => updateUser(actor, params.userId, body));
