/**
 * Child process of the fast transcription bench: warm-up requests, then measured rounds of the
 * job's file through the adapter, a plain `fetch` of the same multipart request, or both in turn.
 *
 * @module
 */
import { replyToParent } from "../child-run.js";
import type { SpeechToText } from "@sttkit/core";
import type { FastJob, FastReport, FastSide } from "./protocol.js";

const API = "/speechtotext/transcriptions:transcribe?api-version=2024-11-15";

/**
 * The raw side: the request as Microsoft's reference shows it, made by hand: a `definition` part
 * and the file as the `audio` part, the file read from disk in 64 KiB blocks as fetch pulls them.
 */
async function rawRequest(job: FastJob, file: string, fileBytes: number): Promise<number> {
  const { open } = await import("node:fs/promises");
  const boundary = "raw-bench-boundary-5f0c2a";
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="definition"\r\nContent-Type: application/json\r\n\r\n${JSON.stringify({ locales: ["en-US"] })}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="audio"; filename="audio.wav"\r\nContent-Type: audio/wav\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const handle = await open(file, "r");
  let stage: "head" | "file" | "tail" | "done" = "head";
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (stage === "head") {
          stage = "file";
          return controller.enqueue(head);
        }
        if (stage === "file") {
          const block = new Uint8Array(64 * 1024);
          const { bytesRead } = await handle.read(block, 0, block.byteLength, null);
          if (bytesRead > 0) return controller.enqueue(block.subarray(0, bytesRead));
          stage = "tail";
        }
        if (stage === "tail") {
          stage = "done";
          return controller.enqueue(tail);
        }
        controller.close();
      },
    },
    { highWaterMark: 0 },
  );
  const response = await fetch(`${job.origin}${API}`, {
    method: "POST",
    headers: { "Ocp-Apim-Subscription-Key": job.key, "Content-Type": `multipart/form-data; boundary=${boundary}`, "Content-Length": String(head.length + fileBytes + tail.length) },
    body,
    duplex: "half",
    // As the adapter does: without these, fetch tees the body to be able to follow a redirect and
    // holds the whole file (see adapters/azure/src/fast/request.ts).
    redirect: "error",
    window: null,
  } as RequestInit);
  try {
    if (!response.ok) throw new Error(`raw request: HTTP ${response.status}`);
    const answer = (await response.json()) as { phrases: unknown[] };
    return answer.phrases.length;
  } finally {
    await handle.close();
  }
}

/** The adapter, built once per child as an application builds it once. */
let adapter: SpeechToText | undefined;

async function adapterRequest(job: FastJob, file: string): Promise<number> {
  const { createAzureSpeechToText } = await import("@sttkit/azure");
  adapter ??= createAzureSpeechToText(
    {
      host: job.origin.replace(/^http:/, "ws:"),
      apiKey: job.key,
      transcribeWith: "fast",
      // The bench's big file is beyond the service's limits on purpose: it measures the upload path.
      fastTranscription: { maxUploadBytes: Number.MAX_SAFE_INTEGER, maxAudioSeconds: 86_400 },
    },
    {},
  )._unsafeUnwrap();
  const transcript = await adapter.transcribe({ path: file });
  if (transcript.isErr()) throw new Error(`adapter: ${transcript.error.kind}: ${transcript.error.message}`);
  if (transcript.value.route?.method !== "file") throw new Error(`adapter went through ${transcript.value.route?.method}: ${transcript.value.route?.reason}`);
  return transcript.value.segments.length;
}

async function run(job: FastJob): Promise<FastReport> {
  const { statSync } = await import("node:fs");
  const send = (side: FastSide, file: string, bytes: number): Promise<number> => (side === "raw" ? rawRequest(job, file, bytes) : adapterRequest(job, file));
  for (const side of job.sides) for (let warmUp = 0; warmUp < 2; warmUp++) await send(side, job.warmUpFile, statSync(job.warmUpFile).size);
  globalThis.gc?.();
  const rssBefore = process.memoryUsage.rss();
  let rssPeak = rssBefore;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
  }, 20);
  try {
    const wallMs: Record<FastSide, number[]> = { raw: [], adapter: [] };
    let phrases = 0;
    for (let round = 0; round < job.rounds; round++) {
      for (const side of round % 2 === 0 ? job.sides : [...job.sides].reverse()) {
        const started = performance.now();
        phrases = await send(side, job.file, job.fileBytes);
        wallMs[side].push(performance.now() - started);
      }
    }
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
    return { wallMs, rssBefore, rssPeak, phrases };
  } finally {
    clearInterval(sampler);
  }
}

replyToParent(run(JSON.parse(process.argv[2] ?? "{}") as FastJob));
