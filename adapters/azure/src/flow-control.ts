import { err, ok, type Result } from "neverthrow";
import { sttError, type SttError } from "@sttkit/core";
import type { AzureFlowControl } from "./azure-driver.js";
import { PROVIDER } from "./constants.js";

/** Default of `azure.maxUnsentAudioMs`: a few seconds, enough to ride out a reconnect without stalling a live writer. */
export const DEFAULT_MAX_UNSENT_AUDIO_MS = 5_000;
const RANGE = { min: 100, max: 600_000 } as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Takes the flow-control setting (`maxUnsentAudioMs`) out of the adapter's raw settings and
 * validates it; the rest goes on to the other settings' validation, which does not know it.
 */
export function takeFlowControl(settings: unknown): Result<{ readonly rest: unknown; readonly flow: AzureFlowControl }, SttError> {
  if (!isRecord(settings) || !Object.hasOwn(settings, "maxUnsentAudioMs")) {
    return ok({ rest: settings, flow: { maxUnsentAudioMs: DEFAULT_MAX_UNSENT_AUDIO_MS } });
  }
  const { maxUnsentAudioMs: value, ...rest } = settings;
  if (value === undefined) return ok({ rest, flow: { maxUnsentAudioMs: DEFAULT_MAX_UNSENT_AUDIO_MS } });
  if (typeof value !== "number" || !Number.isInteger(value) || value < RANGE.min || value > RANGE.max) {
    return err(
      sttError({
        kind: "invalid-argument",
        argument: "azure.maxUnsentAudioMs",
        provider: PROVIDER,
        message: `azure.maxUnsentAudioMs must be an integer from ${RANGE.min} to ${RANGE.max}; got ${typeof value === "number" ? String(value) : typeof value}.`,
      }),
    );
  }
  return ok({ rest, flow: { maxUnsentAudioMs: value } });
}
