import { api } from "@/lib/contract";
import { bind } from "@/lib/http/route";
import { listUsers } from "@/lib/services/users";

export const dynamic = "force-dynamic";

export const GET = bind(api["admin.listUsers"], ({ actor, query }) => listUsers(actor, query));
