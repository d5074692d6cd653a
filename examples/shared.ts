import { join } from "node:path";
import { azureProvider, type AzureConfig } from "@sttkit/azure";
import { defaultFixturesDirectory, loadRecordedSession, startAzureReplayServer, type RecordedAzureSession } from "@sttkit/conformance";
import { createSttContainer, loadSttConfig, resolveSpeechToText, type SpeechToText, type SttConfig } from "@sttkit/core";
import { offlineProvider } from "@sttkit/offline";

/**
 * A shipped LibriVox recording (public domain) the examples transcribe by default. Found through
 * the conformance package, which knows where its fixtures are: a path relative to this file
 * would differ between the sources and the build (`examples/dist/`).
 */
export const SAMPLE = join(defaultFixturesDirectory(), "audio", "librivox-multi.wav");
/** Its fixture id, which names its recorded Azure session. */
export const SAMPLE_FIXTURE = "librivox-multi";

/** A SpeechToText bound from configuration, plus whatever must be released when done. */
export interface BoundSpeechToText {
  /** The adapter the configuration selected. */
  readonly stt: SpeechToText;
  /** Releases the local Azure server, when one was started. */
  close(): Promise<void>;
}

/**
 * Builds the container from configuration: defaults, then `STT_CONFIG` / `STT_PROVIDER`, then the
 * explicit `provider`. With Azure and no `AZURE_SPEECH_API_KEY`, the local Azure protocol server
 * stands in for the service, replaying the sample's recorded session, so the example runs offline.
 */
export async function bindFromConfig(provider?: string, fixture = SAMPLE_FIXTURE): Promise<BoundSpeechToText> {
  const config = await loadSttConfig({ defaults: { provider: "offline" }, ...(provider ? { overrides: { provider } } : {}) });
  if (config.isErr()) throw new Error(config.error.message);
  let chosen: SttConfig = config.value;
  let close = async (): Promise<void> => undefined;
  if (chosen.provider === "azure" && !process.env["AZURE_SPEECH_API_KEY"]) {
    const session = loadRecordedSession(fixture, "azure");
    if (session.isErr()) throw new Error(session.error.message);
    const server = await startAzureReplayServer({ session: session.value as RecordedAzureSession });
    const local: AzureConfig = { host: server.host, apiKey: "local-test-key", sdkProperties: { "SPEECH-TransmitLengthBeforThrottleMs": "600000" } };
    chosen = { ...chosen, azure: { ...(chosen["azure"] as object | undefined), ...local } };
    close = () => server.close();
  }
  const stt = createSttContainer(chosen, [offlineProvider, azureProvider]).andThen(resolveSpeechToText);
  if (stt.isErr()) {
    await close();
    throw new Error(stt.error.message);
  }
  return { stt: stt.value, close };
}
