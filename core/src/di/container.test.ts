import { err, ok, okAsync, type Result } from "neverthrow";
import { describe, expect, it } from "vitest";
import { DEFAULT_AUDIO_FORMAT } from "../audio/format.js";
import { createSttContainer, resolveSpeechToText, SttTokens, sttContainerModule, type SttProviderDefinition } from "./container.js";
import { sttError, type SttError } from "../errors.js";
import type { RecognitionStream, SpeechToText, SttCapabilities } from "../speech-to-text.js";
import { createRecognitionStream } from "../kit/stream/recognition-stream.js";
import { Container } from "inversify";

const capabilities: SttCapabilities = {
  streaming: true,
  interimResults: false,
  wordTimings: false,
  languageDetection: false,
  customVocabulary: false,
  diarization: false,
  sampleRates: [16_000],
  channels: [1],
  ttfsP99LatencyMs: 100,
  reconnects: false,
};

/** A minimal provider that "recognises" by echoing its configured word, to tell bindings apart. */
function echoProvider(name: string): SttProviderDefinition {
  return {
    name,
    create(settings: unknown): Result<SpeechToText, SttError> {
      const word = (settings as { word?: unknown } | undefined)?.word;
      if (typeof word !== "string") {
        return err(sttError({ kind: "invalid-argument", argument: `${name}.word`, message: "word is required" }));
      }
      const stt: SpeechToText = {
        provider: name,
        capabilities,
        stream(): Result<RecognitionStream, SttError> {
          let sinkRef: Parameters<Parameters<typeof createRecognitionStream>[0]["driver"]["start"]>[0] | undefined;
          return ok(
            createRecognitionStream({
              provider: name,
              format: DEFAULT_AUDIO_FORMAT,
              driver: {
                start: (sink) => {
                  sinkRef = sink;
                },
                write: () => true,
                finish: () => {
                  sinkRef?.emit({ type: "final", segment: { text: word, startMs: 0, endMs: 1 } });
                  return Promise.resolve(ok(undefined));
                },
                dispose: () => Promise.resolve(),
              },
            }),
          );
        },
        transcribe: () => okAsync({ text: word, segments: [], audioSeconds: 0 }),
      };
      return ok(stt);
    },
  };
}

const providers = [echoProvider("alpha"), echoProvider("beta")];

/** Application code: knows only the interface and the token. */
async function application(container: Container): Promise<string> {
  const stt = resolveSpeechToText(container)._unsafeUnwrap();
  const stream = stt.stream()._unsafeUnwrap();
  stream.write(new Uint8Array(320));
  return (await stream.end())._unsafeUnwrap().text;
}

describe("DI wiring", () => {
  it("binds whichever provider the configuration names: swapping vendors is a config change", async () => {
    const alpha = createSttContainer({ provider: "alpha", alpha: { word: "from-alpha" } }, providers)._unsafeUnwrap();
    const beta = createSttContainer({ provider: "beta", beta: { word: "from-beta" } }, providers)._unsafeUnwrap();
    expect(await application(alpha)).toBe("from-alpha");
    expect(await application(beta)).toBe("from-beta");
    expect(beta.get(SttTokens.SttConfig)).toEqual({ provider: "beta", beta: { word: "from-beta" } });
  });

  it("binds a singleton", () => {
    const container = createSttContainer({ provider: "alpha", alpha: { word: "x" } }, providers)._unsafeUnwrap();
    expect(container.get(SttTokens.SpeechToText)).toBe(container.get(SttTokens.SpeechToText));
  });

  it("loads as a module into an application's own container", () => {
    const container = new Container();
    container.load(sttContainerModule({ provider: "beta", beta: { word: "y" } }, providers)._unsafeUnwrap());
    expect(resolveSpeechToText(container)._unsafeUnwrap().provider).toBe("beta");
  });

  it("reports an unknown or missing provider as a typed error naming the registered ones", () => {
    const unknown = createSttContainer({ provider: "gamma" }, providers)._unsafeUnwrapErr();
    expect(unknown).toMatchObject({ kind: "invalid-argument", argument: "provider" });
    expect(unknown.message).toContain('"alpha", "beta"');
    expect(createSttContainer({ provider: "" }, providers)._unsafeUnwrapErr().kind).toBe("invalid-argument");
  });

  it("passes a provider's own validation error through, and contains a provider that throws", () => {
    const strict: SttProviderDefinition = {
      name: "strict",
      create: () => err(sttError({ kind: "invalid-argument", argument: "strict.key", message: "bad key" })),
    };
    expect(createSttContainer({ provider: "strict" }, [strict])._unsafeUnwrapErr()).toMatchObject({ argument: "strict.key" });
    const throwing: SttProviderDefinition = {
      name: "throwing",
      create: () => {
        throw new Error("kaboom");
      },
    };
    expect(createSttContainer({ provider: "throwing" }, [throwing])._unsafeUnwrapErr()).toMatchObject({
      kind: "provider",
      detail: "kaboom",
    });
  });

  it("reports a provider's settings error before anything is bound", () => {
    expect(createSttContainer({ provider: "alpha" }, providers)._unsafeUnwrapErr()).toMatchObject({ argument: "alpha.word" });
  });

  it("reports an empty container as a typed error", () => {
    expect(resolveSpeechToText(new Container())._unsafeUnwrapErr().kind).toBe("invalid-argument");
  });
});
