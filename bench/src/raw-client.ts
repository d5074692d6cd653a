import * as sdk from "microsoft-cognitiveservices-speech-sdk";
import { WebsocketMessageAdapter } from "microsoft-cognitiveservices-speech-sdk/distrib/lib/src/common.browser/WebsocketMessageAdapter.js";
import { BENCH_KEY, type BenchClient, type ClientOptions } from "./client.js";

/**
 * The baseline: the Speech SDK driven directly, as an application without the adapter would, and
 * configured as the adapter configures it (host address, en-US, simple output, the same
 * throttling, the same WebSocket client), with continuous recognition fed by a push stream.
 */
export function openRawClient(options: ClientOptions): BenchClient & { readonly finalTexts: readonly string[] } {
  // The same WebSocket client as the adapter on every Node version: the `ws` package, through the
  // SDK's own switch (see adapters/azure/src/sdk-websocket.ts). Done here rather than by importing
  // the adapter, so the raw side loads nothing of the adapter's.
  WebsocketMessageAdapter.forceNpmWebSocket = true;
  const config = sdk.SpeechConfig.fromHost(new URL(options.host), BENCH_KEY);
  config.speechRecognitionLanguage = "en-US";
  config.outputFormat = sdk.OutputFormat.Simple;
  config.setProperty("SPEECH-TransmitLengthBeforThrottleMs", String(options.throttleMs));
  const push = sdk.AudioInputStream.createPushStream(sdk.AudioStreamFormat.getWaveFormatPCM(options.format.sampleRate, 16, 1));
  const recognizer = new sdk.SpeechRecognizer(config, sdk.AudioConfig.fromStreamInput(push));
  const finalTimes: number[] = [];
  const finalTexts: string[] = [];
  let failure: Error | undefined;
  const stopped = new Promise<void>((resolve) => {
    recognizer.sessionStopped = () => resolve();
    recognizer.canceled = (_, event) => {
      // EndOfStream is the push stream's normal end; sessionStopped follows.
      if (event.reason !== sdk.CancellationReason.Error) return;
      failure = new Error(`raw SDK canceled: ${sdk.CancellationErrorCode[event.errorCode]} ${event.errorDetails}`);
      resolve();
    };
  });
  let interimCharacters = 0;
  recognizer.recognizing = (_, event) => {
    // Read the interim text as an application would, so both sides touch the same data.
    interimCharacters += event.result.text.length;
  };
  recognizer.recognized = (_, event) => {
    if (event.result.reason === sdk.ResultReason.RecognizedSpeech && event.result.text.trim().length > 0) {
      finalTimes.push(performance.now());
      finalTexts.push(event.result.text);
    }
  };
  // Not awaited, as the adapter does not await it either: audio written meanwhile is buffered by the push stream.
  recognizer.startContinuousRecognitionAsync(undefined, (error) => {
    failure = new Error(`raw SDK failed to start: ${error}`);
  });
  let closing: Promise<void> | undefined;
  return {
    finalTimes,
    finalTexts,
    finalCallbackTimes: finalTimes,
    write(chunk) {
      // The SDK takes an ArrayBuffer; copying the chunk's bytes out is the least an application can do.
      push.write(chunk.buffer.slice(chunk.byteOffset, chunk.byteOffset + chunk.byteLength) as ArrayBuffer);
      return undefined;
    },
    async finish() {
      push.close();
      await stopped;
      await new Promise<void>((resolve, reject) => recognizer.stopContinuousRecognitionAsync(resolve, (error) => reject(new Error(error))));
      if (failure) throw failure;
      void interimCharacters;
    },
    close() {
      closing ??= new Promise<void>((resolve) => recognizer.close(resolve, () => resolve())).then(() => config.close());
      return closing;
    },
  };
}
