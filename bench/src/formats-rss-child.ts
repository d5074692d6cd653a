import { createOfflineSpeechToText } from "@sttkit/offline";

/**
 * Child of `bench --formats`: transcribes one file with the offline adapter and prints, as JSON,
 * the process's peak RSS (resourceUsage().maxRSS, the kernel's figure), its RSS before the call,
 * and the audio and wall seconds. Alone in its process, so nothing else counts towards the peak.
 */
const path = process.argv[2];
if (!path) throw new Error("usage: formats-rss-child FILE");
const stt = createOfflineSpeechToText()._unsafeUnwrap();
const before = process.memoryUsage().rss;
const started = performance.now();
const transcript = await stt.transcribe({ path });
if (transcript.isErr()) throw new Error(transcript.error.message);
process.stdout.write(
  `${JSON.stringify({
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    rssBeforeBytes: before,
    audioSeconds: transcript.value.audioSeconds,
    wallSeconds: (performance.now() - started) / 1000,
  })}\n`,
);
