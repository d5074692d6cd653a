import { bytesPerSecond } from "@sttkit/core";
import { replyToParent } from "../child-run.js";
import { loadBenchAudio } from "../fixtures.js";
import { measureWork, oneStream, parallelStreams, warmUpAudio } from "../measure.js";
import type { WorkerReport } from "../worker-protocol.js";
import { deepgramClientFactory } from "./clients.js";
import type { DeepgramWorkerJob } from "./worker-protocol.js";

async function run(job: DeepgramWorkerJob): Promise<WorkerReport> {
  const open = await deepgramClientFactory(job.side);
  const audio = loadBenchAudio(job.fixtureId);
  const client = (format: typeof audio.format) => () => open({ baseUrl: job.baseUrl, format });
  // Warm-up: module initialisation and JIT compilation are paid before measuring, on both sides.
  const warmUp = warmUpAudio(audio);
  await oneStream(client(warmUp.format), warmUp, false);
  return measureWork((job.streams * audio.pcm.byteLength) / bytesPerSecond(audio.format), () =>
    parallelStreams(job.streams, () => oneStream(client(audio.format), audio, true)),
  );
}

replyToParent(run(JSON.parse(process.argv[2] ?? "null") as DeepgramWorkerJob));
