import { fileURLToPath } from "node:url";
import { azureProvider, type AzureConfig } from "@sttkit/azure";
import { loadAzureSession, startAzureReplayServer } from "@sttkit/conformance/azure";
import { loadOpenAISession, startOpenAIReplayServer } from "@sttkit/conformance/openai";
import { createSttContainer, loadSttConfig, resolveSpeechToText, type SttConfig } from "@sttkit/core/di";
import { readWavFile, type SpeechToText } from "@sttkit/core";
import { offlineProvider } from "@sttkit/offline";
import { openaiProvider, type OpenAIConfig } from "@sttkit/openai";

/** A shipped LibriVox recording (public domain) the examples transcribe by default. */
export const SAMPLE = fileURLToPath(new URL("../conformance/fixtures/audio/librivox-multi.wav", import.meta.url));
/** Its fixture id, which names its recorded Azure session. */
export const SAMPLE_FIXTURE = "librivox-multi";

/** A SpeechToText bound from configuration, plus whatever must be released when done. */
export interface BoundSpeechToText {
  /** The adapter the configuration selected. */
  readonly stt: SpeechToText;
  /** Releases the local Azure or OpenAI server, when one was started. */
  close(): Promise<void>;
}

/**
 * Builds the container from configuration: defaults, then `STT_CONFIG` / `STT_PROVIDER`, then the
 * explicit `provider`. With Azure and no `AZURE_SPEECH_API_KEY` (OpenAI and no `OPENAI_API_KEY`),
 * the vendor's local test double stands in for the service, replaying the sample's recorded
 * session, so the example runs offline.
 */
export async function bindFromConfig(provider?: string, fixture = SAMPLE_FIXTURE): Promise<BoundSpeechToText> {
  const config = await loadSttConfig({ defaults: { provider: "offline" }, ...(provider ? { overrides: { provider } } : {}) });
  if (config.isErr()) throw new Error(config.error.message);
  let chosen: SttConfig = config.value;
  let close = async (): Promise<void> => undefined;
  if (chosen.provider === "azure" && !process.env["AZURE_SPEECH_API_KEY"]) {
    const session = loadAzureSession(fixture);
    if (session.isErr()) throw new Error(session.error.message);
    const server = await startAzureReplayServer({ session: session.value });
    const local: AzureConfig = { host: server.host, apiKey: "local-test-key", sdkProperties: { "SPEECH-TransmitLengthBeforThrottleMs": "600000" } };
    chosen = { ...chosen, azure: { ...(chosen["azure"] as object | undefined), ...local } };
    close = () => server.close();
  }
  if (chosen.provider === "openai" && !process.env["OPENAI_API_KEY"]) {
    const session = loadOpenAISession(fixture);
    if (session.isErr()) throw new Error(session.error.message);
    const audio = await readWavFile(fileURLToPath(new URL(`../conformance/fixtures/${session.value.audio.file}`, import.meta.url)));
    if (audio.isErr()) throw new Error(audio.error.message);
    const server = await startOpenAIReplayServer({ session: session.value, audio: audio.value });
    if (server.isErr()) throw new Error(server.error.message);
    // The local server's certificate is made for this run and trusted by this adapter only.
    const local: OpenAIConfig = { apiKey: "local-test-key", baseURL: server.value.baseURL, ca: server.value.ca };
    chosen = { ...chosen, openai: { ...(chosen["openai"] as object | undefined), ...local } };
    close = () => server.value.close();
  }
  const stt = createSttContainer(chosen, [offlineProvider, azureProvider, openaiProvider]).andThen(resolveSpeechToText);
  if (stt.isErr()) {
    await close();
    throw new Error(stt.error.message);
  }
  return { stt: stt.value, close };
}
