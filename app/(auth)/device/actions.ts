"use server";

// Server actions of the device login page (/device): look a typed code up, approve it, deny it.
// Each only parses input and calls lib/services/device.ts with the session actor; the service
// limits wrong codes per person and audits.
import { defineAction } from "@/lib/http/action";
import { approveDeviceSchema, deviceDecisionSchema, devicePreviewSchema, lookupDeviceSchema } from "@/lib/schemas/device";
import { approveDevice, denyDevice, previewDevice } from "@/lib/services/device";

export const lookupDeviceAction = defineAction({
  input: lookupDeviceSchema,
  output: devicePreviewSchema,
  handler: (actor, input) => previewDevice(actor, input),
});

export const approveDeviceAction = defineAction({
  input: approveDeviceSchema,
  output: deviceDecisionSchema,
  handler: (actor, input) => approveDevice(actor, input),
});

export const denyDeviceAction = defineAction({
  input: lookupDeviceSchema,
  output: deviceDecisionSchema,
  handler: (actor, input) => denyDevice(actor, input),
});
