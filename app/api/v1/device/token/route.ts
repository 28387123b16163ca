import { api } from "@/lib/contract";
import { bind } from "@/lib/http/route";
import { pollDevice } from "@/lib/services/device";

export const dynamic = "force-dynamic";

// POST /api/v1/device/token – poll a device login: pending, slow down, denied, expired, or the new token
export const POST = bind(api["device.poll"], ({ body, meta }) => pollDevice(body, meta));
