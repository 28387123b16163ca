import { api } from "@/lib/contract";
import { bind } from "@/lib/http/route";
import { verifyToken } from "@/lib/services/tokens";

export const dynamic = "force-dynamic";

export const POST = bind(api["tokens.verify"], ({ body, meta }) => verifyToken(body, meta));
