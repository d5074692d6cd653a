import { bytesPerSecond } from "@sttkit/core";
import { replyToParent } from "../child-run.js";
import { loadBenchAudio } from "../fixtures.js";
import { measureStartup, measureWork, oneStream, parallelStreams, warmUpAudio } from "../measure.js";
import type { WorkerReport } from "../worker-protocol.js";
import { deepgramClientFactory } from "./clients.js";
import type { DeepgramWorkerJob } from "./worker-protocol.js";

async function run(job: DeepgramWorkerJob): Promise<WorkerReport> {
  const audio = loadBenchAudio(job.fixtureId);
  const warmUp = warmUpAudio(audio);
  // Warm-up: loading the side and its first stream (first connection, JIT compilation) are paid once, measured apart.
  const { client: open, startup } = await measureStartup(
    () => deepgramClientFactory(job.side),
    (loaded) => oneStream(() => loaded({ baseUrl: job.baseUrl, format: warmUp.format }), warmUp, false),
  );
  const client = (format: typeof audio.format) => () => open({ baseUrl: job.baseUrl, format });
  return measureWork(startup, (job.streams * audio.pcm.byteLength) / bytesPerSecond(audio.format), () =>
    parallelStreams(job.streams, () => oneStream(client(audio.format), audio, true)),
  );
}

replyToParent(run(JSON.parse(process.argv[2] ?? "null") as DeepgramWorkerJob));
