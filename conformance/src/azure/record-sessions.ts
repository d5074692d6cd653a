import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { paceRealtime, readWavFile, type SttError, type WavAudio } from "@sttkit/core";
import { errorFromHttpStatus, httpStatusInText, sttError } from "@sttkit/core/kit";
import * as sdk from "microsoft-cognitiveservices-speech-sdk";
import { WebsocketMessageAdapter } from "microsoft-cognitiveservices-speech-sdk/distrib/lib/src/common.browser/WebsocketMessageAdapter.js";
import { err, ok, type Result } from "neverthrow";
import type { ResolvedFixture } from "../manifest/load.js";
import { audioReferenceOf } from "../sessions/load.js";
import { startRecordingProxy } from "./recording-proxy.js";

/** What {@link recordFixtureSessions} records, and from where. */
export interface RecordSessionsOptions {
  /** The fixtures to run through the service. */
  readonly fixtures: readonly ResolvedFixture[];
  /** Where the session files go (one `<fixture id>.json` each). */
  readonly outDir: string;
  /** The service base URL. Default `wss://<region>.stt.speech.microsoft.com`. */
  readonly upstream?: string;
  /** Subscription key. Default: `AZURE_SPEECH_API_KEY`. */
  readonly apiKey?: string;
  /** Region, for the default upstream. Default: `AZURE_SPEECH_REGION`. */
  readonly region?: string;
  /** Environment to read the defaults from. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Playback speed of the fixture audio: 1 (the default) is real time, as a live caller sends it,
   * so each message is recorded at the point in the audio where the service really sent it.
   */
  readonly speed?: number;
}

/** One fixture's recording. */
export interface RecordedFixture {
  /** The fixture id. */
  readonly fixture: string;
  /** The file written. */
  readonly file: string;
  /** Messages recorded, all turns together. */
  readonly messages: number;
  /** Final phrases among them. */
  readonly phrases: number;
}

/** The Speech SDK version the recordings are made with (the one this package depends on). */
const SDK_VERSION = "1.52.0";

/**
 * Runs each fixture through the real Speech SDK, connected to the service through a recording
 * proxy, and writes what the service sent as a recorded session (`source.kind: "service"`). Needs
 * credentials; without them it is an `authentication` error, before anything connects.
 */
export async function recordFixtureSessions(options: RecordSessionsOptions): Promise<Result<RecordedFixture[], SttError>> {
  const env = options.env ?? process.env;
  const apiKey = options.apiKey ?? env["AZURE_SPEECH_API_KEY"];
  const region = options.region ?? env["AZURE_SPEECH_REGION"];
  if (!apiKey || (!options.upstream && !region)) {
    return err(
      sttError({
        kind: "authentication",
        provider: "azure",
        message: "Recording needs the Azure Speech credentials: set AZURE_SPEECH_API_KEY and AZURE_SPEECH_REGION.",
      }),
    );
  }
  const upstream = options.upstream ?? `wss://${region}.stt.speech.microsoft.com`;
  await mkdir(options.outDir, { recursive: true });
  const recorded: RecordedFixture[] = [];
  for (const fixture of options.fixtures) {
    const result = await recordOne(fixture, upstream, apiKey, options.outDir, options.speed ?? 1);
    if (result.isErr()) return err(result.error);
    recorded.push(result.value);
  }
  return ok(recorded);
}

async function recordOne(fixture: ResolvedFixture, upstream: string, apiKey: string, outDir: string, speed: number): Promise<Result<RecordedFixture, SttError>> {
  const audio = await readWavFile(fixture.audioPath, { requireMono: true });
  if (audio.isErr()) return err(audio.error);
  const proxy = await startRecordingProxy({ upstream, apiKey });
  try {
    const failure = await runRecognition(proxy.endpoint, apiKey, fixture.language, audio.value, speed);
    if (failure) return err(failure);
    const session = proxy.session(
      fixture.id,
      audioReferenceOf(fixture),
      { language: fixture.language, format: "detailed" },
      `Recorded from ${new URL(upstream).host} with microsoft-cognitiveservices-speech-sdk ${SDK_VERSION} through the sttkit recording proxy.`,
    );
    if (!session) {
      return err(sttError({ kind: "provider", provider: "azure", message: `The service sent nothing for fixture ${fixture.id}.` }));
    }
    const file = join(outDir, `${fixture.id}.json`);
    await writeFile(file, `${JSON.stringify(session, null, 1)}\n`);
    const messages = session.turns.flatMap((turn) => turn.messages);
    return ok({ fixture: fixture.id, file, messages: messages.length, phrases: messages.filter((m) => m.path === "speech.phrase").length });
  } finally {
    await proxy.close();
  }
}

/**
 * What a cancelled recording means. The SDK reports a refused upgrade (a wrong key: HTTP 401)
 * only as a connection failure whose details hold the status, so the status decides the kind.
 */
function recordingFailure(code: string, details: string): SttError {
  const detail = `${code}: ${details}`;
  const status = httpStatusInText(details);
  if (status !== undefined) return errorFromHttpStatus(status, { provider: "azure", detail });
  return sttError({ kind: "connection", provider: "azure", message: "The service cancelled the recording.", detail });
}

/** Streams PCM through the real SDK to `endpoint`; resolves with the cancellation error, if any. */
async function runRecognition(endpoint: string, apiKey: string, language: string, audio: WavAudio, speed: number): Promise<SttError | undefined> {
  const sampleRate = audio.format.sampleRate;
  // Dial with the `ws` package on every Node version, as the Azure adapter does (see
  // adapters/azure/src/sdk-websocket.ts): Node 22+'s built-in WebSocket would hide a refused
  // upgrade's HTTP status, and send none of the headers the service gets from the adapter.
  WebsocketMessageAdapter.forceNpmWebSocket = true;
  const config = sdk.SpeechConfig.fromEndpoint(new URL(endpoint), apiKey);
  config.speechRecognitionLanguage = language;
  config.outputFormat = sdk.OutputFormat.Detailed;
  config.setProperty("SPEECH-TransmitLengthBeforThrottleMs", "600000");
  const push = sdk.AudioInputStream.createPushStream(sdk.AudioStreamFormat.getWaveFormatPCM(sampleRate, 16, 1));
  const recognizer = new sdk.SpeechRecognizer(config, sdk.AudioConfig.fromStreamInput(push));
  let failure: SttError | undefined;
  const stopped = new Promise<void>((resolve) => {
    recognizer.sessionStopped = () => resolve();
    recognizer.canceled = (_, event) => {
      if (event.reason !== sdk.CancellationReason.Error) return;
      failure = recordingFailure(sdk.CancellationErrorCode[event.errorCode] ?? String(event.errorCode), event.errorDetails ?? "");
      resolve();
    };
  });
  try {
    await new Promise<void>((resolve, reject) => recognizer.startContinuousRecognitionAsync(resolve, reject));
    for await (const chunk of paceRealtime(audio.pcm, audio.format, { chunkMs: 100, speed })) {
      push.write(chunk.slice().buffer as ArrayBuffer);
    }
    push.close();
    await stopped;
    await new Promise<void>((resolve) => recognizer.stopContinuousRecognitionAsync(resolve, () => resolve()));
  } catch (cause) {
    failure ??= sttError({ kind: "connection", provider: "azure", message: "The recognition could not start.", detail: String(cause), cause });
  } finally {
    await new Promise<void>((resolve) => recognizer.close(resolve, () => resolve()));
    config.close();
  }
  return failure;
}
