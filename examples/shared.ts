import { join } from "node:path";
import { azureProvider, type AzureConfig } from "@sttkit/azure";
import { defaultFixturesDirectory } from "@sttkit/conformance";
import { loadAzureSession, startAzureReplayServer } from "@sttkit/conformance/azure";
import { loadDeepgramSession, startDeepgramServer } from "@sttkit/conformance/deepgram";
import { loadOpenAISession, startOpenAIReplayServer } from "@sttkit/conformance/openai";
import { createSttContainer, loadSttConfig, resolveSpeechToText, type SttConfig } from "@sttkit/core/di";
import { readWavFile, type SpeechToText } from "@sttkit/core";
import { deepgramProvider } from "@sttkit/deepgram";
import { offlineProvider } from "@sttkit/offline";
import { openaiProvider, type OpenAIConfig } from "@sttkit/openai";

/**
 * A shipped LibriVox recording (public domain) the examples transcribe by default: a fixture of
 * the conformance package, located by that package, so the path is right from the sources (tests)
 * and from the build (`examples/dist/`) alike.
 */
export const SAMPLE = join(defaultFixturesDirectory(), "audio", "librivox-multi.wav");
/** Its fixture id, which names its recorded Azure session. */
export const SAMPLE_FIXTURE = "librivox-multi";

/** A SpeechToText bound from configuration, plus whatever must be released when done. */
export interface BoundSpeechToText {
  /** The adapter the configuration selected. */
  readonly stt: SpeechToText;
  /** Releases the local Azure, Deepgram or OpenAI server, when one was started. */
  close(): Promise<void>;
}

/**
 * Builds the container from configuration: defaults, then `STT_CONFIG` / `STT_PROVIDER`, then the
 * explicit `provider`. With Azure and no `AZURE_SPEECH_API_KEY` (Deepgram and no
 * `DEEPGRAM_API_KEY`, OpenAI and no `OPENAI_API_KEY`), the vendor's local protocol server stands in
 * for the service, replaying the sample's recorded session, so the example runs offline.
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
  if (chosen.provider === "deepgram" && !process.env["DEEPGRAM_API_KEY"]) {
    const session = loadDeepgramSession(fixture);
    if (session.isErr()) throw new Error(session.error.message);
    const server = await startDeepgramServer({ session: session.value });
    chosen = { ...chosen, deepgram: { ...(chosen["deepgram"] as object | undefined), baseUrl: server.baseUrl, apiKey: "local-test-key" } };
    close = () => server.close();
  }
  if (chosen.provider === "openai" && !process.env["OPENAI_API_KEY"]) {
    const session = loadOpenAISession(fixture);
    if (session.isErr()) throw new Error(session.error.message);
    const audio = await readWavFile(join(defaultFixturesDirectory(), session.value.audio.file));
    if (audio.isErr()) throw new Error(audio.error.message);
    const server = await startOpenAIReplayServer({ session: session.value, audio: audio.value });
    if (server.isErr()) throw new Error(server.error.message);
    // The local server's certificate is made for this run and trusted by this adapter only.
    const local: OpenAIConfig = { apiKey: "local-test-key", baseURL: server.value.baseURL, ca: server.value.ca };
    chosen = { ...chosen, openai: { ...(chosen["openai"] as object | undefined), ...local } };
    close = () => server.value.close();
  }
  const stt = createSttContainer(chosen, [offlineProvider, azureProvider, deepgramProvider, openaiProvider]).andThen(resolveSpeechToText);
  if (stt.isErr()) {
    await close();
    throw new Error(stt.error.message);
  }
  return { stt: stt.value, close };
}
