import { api } from "@/lib/contract";
import { bind } from "@/lib/http/route";
import { startDevice } from "@/lib/services/device";

export const dynamic = "force-dynamic";

// POST /api/v1/device/code – start a device login (tessera login --web)
export const POST = bind(api["device.start"], ({ body, meta }) => startDevice(body, meta));
