import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadFixtures } from "@sttkit/conformance";
import { expectedAzureFinals, loadAzureSession, startAzureReplayServer, type AzureReplayServer } from "@sttkit/conformance/azure";
import { readWavFile } from "@sttkit/core";
import { wordErrorRate } from "@sttkit/core/wer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAzureSpeechToText } from "./index.js";

/**
 * Real files made from a fixture by sox and ffmpeg, through the Azure adapter's transcribe({ path })
 * to the local Azure double, by both routes. Real time (the real Speech SDK): the double replays
 * the fixture's recorded session timed against the audio it receives, so the checks are on that
 * audio: its format (a rate Azure takes, mono), its length, and its loudness contour against the
 * fixture's own. Fast transcription (the default): the upload is a WAV of the decoded audio.
 */
const FIXTURE = "librivox-multi";
const KEY = "formats-test-key";
const fixture = loadFixtures()._unsafeUnwrap().fixtures.find((candidate) => candidate.id === FIXTURE);
let directory = "";
let server: AzureReplayServer;

/** RMS per 100 ms of 16-bit mono PCM at `rate`. */
function envelope(pcm: Uint8Array, rate: number): number[] {
  const view = new DataView(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  const window = rate / 10;
  const out: number[] = [];
  for (let start = 0; (start + window) * 2 <= pcm.byteLength; start += window) {
    let sum = 0;
    for (let i = start; i < start + window; i++) sum += view.getInt16(i * 2, true) ** 2;
    out.push(Math.sqrt(sum / window));
  }
  return out;
}

function correlation(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  const mean = (values: readonly number[]): number => values.slice(0, n).reduce((sum, value) => sum + value, 0) / n;
  const [ma, mb] = [mean(a), mean(b)];
  let [ab, aa, bb] = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    ab += ((a[i] as number) - ma) * ((b[i] as number) - mb);
    aa += ((a[i] as number) - ma) ** 2;
    bb += ((b[i] as number) - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), "sttkit-azure-formats-"));
  const source = fixture?.audioPath as string;
  execFileSync("ffmpeg", ["-y", "-loglevel", "error", "-i", source, "-ar", "44100", "-ac", "2", "-b:a", "128k", join(directory, "speech.mp3")], { stdio: "ignore" });
  execFileSync("sox", [source, "-r", "44100", "-c", "2", join(directory, "speech.stereo-44k.wav")]);
  server = await startAzureReplayServer({ session: loadAzureSession(FIXTURE)._unsafeUnwrap(), expectedKey: KEY });
});
afterAll(async () => {
  await server.close();
  rmSync(directory, { recursive: true, force: true });
});

describe("Azure transcribe() of real files in other formats, against the local Azure server", () => {
  it("real time: sends a 44.1 kHz stereo MP3 and WAV as mono audio Azure takes, and gets the WAV's transcript", async () => {
    const source = fixture?.audioPath as string;
    const mp3 = join(directory, "speech.mp3");
    const stereo = join(directory, "speech.stereo-44k.wav");
    const stt = createAzureSpeechToText({ host: server.host, apiKey: KEY, transcribeWith: "realtime", sdkProperties: { "SPEECH-TransmitLengthBeforThrottleMs": "600000" } }, {})._unsafeUnwrap();
    const original = (await readWavFile(source))._unsafeUnwrap();
    const expected = expectedAzureFinals(loadAzureSession(FIXTURE)._unsafeUnwrap()).map((segment) => segment.text).join(" ");
    const wavWer = wordErrorRate(fixture?.reference as string, ((await stt.transcribe({ path: source }))._unsafeUnwrap()).text).wer;
    for (const [path, rate] of [[mp3, 44_100], [stereo, 44_100]] as const) {
      const transcript = (await stt.transcribe({ path }))._unsafeUnwrap();
      const connection = server.connections.at(-1);
      const turn = connection?.turns[0];
      // ffmpeg decodes the MP3 at its own 44.1 kHz stereo; the core mixes both down at 44.1 kHz, a rate Azure takes.
      expect(turn?.format).toMatchObject({ sampleRate: rate, channels: 1, bitsPerSample: 16 });
      const received = server.pcmOf(connection as NonNullable<typeof connection>);
      expect(received.byteLength / (rate * 2)).toBeCloseTo(original.pcm.byteLength / 32_000, 1);
      expect(correlation(envelope(received, rate), envelope(original.pcm, 16_000))).toBeGreaterThan(0.95);
      expect(transcript.text).toBe(expected);
      const wer = wordErrorRate(fixture?.reference as string, transcript.text).wer;
      console.log(`Azure (local double) WER ${FIXTURE}: 16 kHz WAV ${(wavWer * 100).toFixed(1)}%, ${path.endsWith(".mp3") ? "44.1 kHz stereo MP3" : "44.1 kHz stereo WAV"} ${(wer * 100).toFixed(1)}%`);
      expect(wer - wavWer).toBeLessThanOrEqual(0.02);
    }
    expect(server.violations).toEqual([]);
  }, 60_000);

  it("fast transcription: uploads the MP3 decoded as it streams, a WAV of 16 kHz mono of the recording's length", async () => {
    const mp3 = join(directory, "speech.mp3");
    const stt = createAzureSpeechToText({ host: server.host, apiKey: KEY }, {})._unsafeUnwrap();
    const result = await stt.transcribe({ path: mp3 });
    const request = server.fastRequests.at(-1);
    // 44-byte header, then the decoded samples (an MP3 decoder adds a few ms of padding).
    expect(((request?.audioBytes ?? 0) - 44) / 32_000).toBeCloseTo((fixture?.durationMs ?? 0) / 1000, 1);
    expect(request?.problems).toEqual([]);
    expect(result._unsafeUnwrap().route?.method).toBe("file");
  });
});
