import { DeepgramClient } from "@deepgram/sdk";
import { DEEPGRAM_BENCH_KEY, type DeepgramBenchClient, type DeepgramClientOptions } from "./clients.js";

interface RawResults {
  readonly type?: string;
  readonly is_final?: boolean;
  readonly channel?: { readonly alternatives?: ReadonlyArray<{ readonly transcript?: string }> };
}

let sdkClient: DeepgramClient | undefined;

/**
 * The baseline: `@deepgram/sdk` driven directly, as an application without the adapter would,
 * with the listen options the adapter sends by default (so the server does the same work), its
 * reconnect off, audio sent once the socket is open, Finalize and CloseStream at the end.
 */
export function openDeepgramRawClient(options: DeepgramClientOptions): DeepgramBenchClient {
  // One SDK client per process, as an application holds one, shared by its connections.
  sdkClient ??= new DeepgramClient({ apiKey: DEEPGRAM_BENCH_KEY, baseUrl: options.baseUrl });
  const client = sdkClient;
  const finalTimes: number[] = [];
  let interimCharacters = 0;
  let failure: Error | undefined;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });
  const socket = client.listen.v1
    .connect({
      model: "nova-3",
      language: "en-US",
      encoding: "linear16",
      sample_rate: String(options.format.sampleRate),
      channels: "1",
      interim_results: "true",
      vad_events: "true",
      punctuate: "true",
      smart_format: "false",
      Authorization: "",
      reconnectAttempts: 0,
      connectionTimeoutInSeconds: 30,
    })
    .then((connection) => {
      connection.on("message", (message) => {
        const results = message as RawResults;
        if (results.type !== "Results") return;
        const text = results.channel?.alternatives?.[0]?.transcript ?? "";
        if (results.is_final && text.trim().length > 0) finalTimes.push(performance.now());
        else interimCharacters += text.length;
      });
      connection.on("error", (error) => {
        failure = error;
      });
      connection.on("close", () => resolveClosed());
      connection.connect();
      return connection.waitForOpen().then(() => connection);
    });
  let pending: Promise<void> | undefined;
  let open: Awaited<typeof socket> | undefined;
  return {
    finalTimes,
    write(chunk) {
      if (open) {
        open.sendMedia(chunk);
        return undefined;
      }
      pending ??= socket.then((connection) => {
        open = connection;
      });
      return pending.then(() => open?.sendMedia(chunk));
    },
    async finish() {
      const connection = await socket;
      connection.sendFinalize({ type: "Finalize" });
      connection.sendCloseStream({ type: "CloseStream" });
      await closed;
      if (failure) throw failure;
      void interimCharacters;
    },
    async close() {
      const connection = await socket.catch(() => undefined);
      connection?.close();
    },
  };
}
