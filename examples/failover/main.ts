import { pathToFileURL } from "node:url";
import { azureProvider } from "@sttkit/azure";
import { loadAzureSession, startAzureReplayServer, type AzureFaults } from "@sttkit/conformance/azure";
import { loadDeepgramSession, startDeepgramServer, type DeepgramFaults, type DeepgramServer } from "@sttkit/conformance/deepgram";
import { createSttContainer, resolveSpeechToText, type SttConfig } from "@sttkit/core/di";
import { readWavFile, type SpeechEvent, type Transcript } from "@sttkit/core";
import { deepgramProvider } from "@sttkit/deepgram";
import { fallbackProvider } from "@sttkit/failover";
import { offlineProvider } from "@sttkit/offline";
import { SAMPLE, SAMPLE_FIXTURE } from "../shared.js";

/** What each stand-in Azure region does wrong, if anything. */
export interface FailoverScenario {
  /** Faults of the primary region's (local) service. */
  readonly primary?: AzureFaults;
  /** Faults of the backup region's (local) service. */
  readonly backup?: AzureFaults;
  /**
   * Put Deepgram (a local Deepgram server replaying the sample's recorded session, with these
   * faults) second in the chain, instead of the backup Azure region: a chain across vendors.
   */
  readonly deepgram?: DeepgramFaults;
}

/** What a failover run saw. */
export interface FailoverRun {
  /** Every event the application received, in order. */
  readonly events: readonly SpeechEvent[];
  /** The whole transcript, or the error that ended the stream. */
  readonly transcript: Transcript;
  /** Lines for a person to read. */
  readonly lines: readonly string[];
}

/** The second Azure region: the same adapter, registered under its own name and settings section. */
const azureBackupProvider = { ...azureProvider, name: "azure-backup" };
/** The providers the chain is built from; the `"fallback"` provider composes them. */
const MEMBERS = [azureProvider, azureBackupProvider, deepgramProvider, offlineProvider];

/**
 * The failover chain bound by configuration alone: Azure in one region, Azure in another, then the
 * offline engine (or, with `scenario.deepgram`, Azure, then Deepgram, then the offline engine).
 * Application code sees one `SpeechToText`; when a provider fails with a
 * retryable error the chain switches to the next and replays the audio since the last final, so
 * nothing said is lost and nothing is transcribed twice. Both regions are local Azure protocol
 * servers here, each replaying the sample's recorded session, with the faults of `scenario`.
 */
export async function run(scenario: FailoverScenario = { primary: { statusAfterPhrases: { phrases: 1, status: "Error" } } }): Promise<FailoverRun> {
  const session = loadAzureSession(SAMPLE_FIXTURE);
  if (session.isErr()) throw new Error(session.error.message);
  const audio = await readWavFile(SAMPLE, { requireMono: true });
  if (audio.isErr()) throw new Error(audio.error.message);
  const deepgramSession = loadDeepgramSession(SAMPLE_FIXTURE);
  if (deepgramSession.isErr()) throw new Error(deepgramSession.error.message);
  const servers = await Promise.all(
    [scenario.primary, scenario.backup].map((faults) =>
      startAzureReplayServer({
        session: session.value,
        // The backup joins mid-recording: it must recognise the replayed audio from where it starts.
        recording: audio.value.pcm,
        ...(faults ? { faults } : {}),
      }),
    ),
  );
  let deepgram: DeepgramServer | undefined;
  try {
    if (scenario.deepgram !== undefined) {
      deepgram = await startDeepgramServer({ session: deepgramSession.value, recording: audio.value.pcm, faults: scenario.deepgram });
    }
    const region = (host: string) => ({
      host,
      apiKey: "local-test-key",
      reconnect: { maxAttempts: 0 },
      connectTimeoutMs: 5_000,
      sdkProperties: { "SPEECH-TransmitLengthBeforThrottleMs": "600000" },
    });
    const config: SttConfig = {
      provider: "fallback",
      fallback: { providers: ["azure", deepgram ? "deepgram" : "azure-backup", "offline"], backoff: { initialMs: 20 }, attemptTimeoutMs: 20_000 },
      azure: region(servers[0]!.host),
      "azure-backup": region(servers[1]!.host),
      ...(deepgram ? { deepgram: { baseUrl: deepgram.baseUrl, apiKey: "local-test-key", reconnect: { maxAttempts: 0 } } } : {}),
    };
    const stt = createSttContainer(config, [...MEMBERS, fallbackProvider(MEMBERS)]).andThen(resolveSpeechToText);
    if (stt.isErr()) throw new Error(stt.error.message);
    const events: SpeechEvent[] = [];
    const lines: string[] = [];
    const transcript = await stt.value.transcribe(
      { pcm: audio.value.pcm, format: audio.value.format },
      {
        onEvent: (event) => {
          events.push(event);
          if (event.type === "provider-switched") lines.push(`→ switched from ${event.from} to ${event.to} at ${(event.resumeAtMs / 1000).toFixed(2)} s (${event.reason?.kind ?? "recovery"})`);
          if (event.type === "final") lines.push(`[${(event.segment.startMs / 1000).toFixed(2)} → ${(event.segment.endMs / 1000).toFixed(2)}] ${event.segment.text}`);
        },
      },
    );
    if (transcript.isErr()) throw new Error(`${transcript.error.kind}: ${transcript.error.message}`);
    return { events, transcript: transcript.value, lines };
  } finally {
    await Promise.all([...servers.map((server) => server.close()), deepgram?.close()]);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { lines } = await run();
  for (const line of lines) console.log(line);
}
