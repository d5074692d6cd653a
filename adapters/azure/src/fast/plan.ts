import { err, ok, type Result } from "neverthrow";
import type { SttError } from "@sttkit/core";
import { sttError } from "@sttkit/core/kit";
import type { AzureTranscribeMethod } from "../config.js";
import { PROVIDER } from "../constants.js";
import type { AzureServiceAddress, AzureTranscribePlan } from "../resolved-config.js";

/** Why a file goes through a real-time stream when the configuration names a custom model. */
export const CUSTOM_MODEL_REASON =
  "azure.endpointId names a Custom Speech deployment, which only real-time recognition serves (the fast transcription API does not take it)";

/** Why a file goes through a real-time stream when the configuration asks for it. */
export const REALTIME_CHOSEN_REASON = 'azure.transcribeWith is "realtime"';

/**
 * Where the fast transcription API is for an address: the public cloud's
 * `https://<region>.api.cognitive.microsoft.com`, or the origin of the configured host or
 * endpoint with `ws` turned to `http` (a custom domain, a sovereign cloud, a local server).
 */
export function fastTranscriptionOrigin(address: AzureServiceAddress): string {
  if (address.kind === "region") return `https://${address.region}.api.cognitive.microsoft.com`;
  const scheme = address.url.protocol === "wss:" ? "https:" : "http:";
  return `${scheme}//${address.url.host}`;
}

/**
 * Decides once, from the configuration, how `transcribe()` sends a file: the fast transcription API
 * unless the configuration asks for real time or names a custom model (served only in real time).
 * Asking for `fast` together with a custom model is a configuration error, not a silent fallback.
 */
export function planTranscribe(
  asked: AzureTranscribeMethod | undefined,
  address: AzureServiceAddress,
  endpointId: string | undefined,
): Result<AzureTranscribePlan, SttError> {
  if (asked === "realtime") return ok({ method: "realtime", reason: REALTIME_CHOSEN_REASON });
  if (endpointId !== undefined) {
    if (asked === "fast") {
      return err(
        sttError({
          kind: "invalid-argument",
          argument: "azure.transcribeWith",
          provider: PROVIDER,
          message: `azure.transcribeWith "fast" cannot be used with azure.endpointId: ${CUSTOM_MODEL_REASON}. Remove one of them.`,
        }),
      );
    }
    return ok({ method: "realtime", reason: CUSTOM_MODEL_REASON });
  }
  return ok({ method: "fast", origin: fastTranscriptionOrigin(address) });
}
