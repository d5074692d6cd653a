import { describe, expect, it } from "vitest";
import { RECORDED_SESSION_FORMAT } from "../sessions/envelope.js";
import { recordedFinalTexts, type RecordedAzureSession } from "./session-format.js";

const phrase = (status: string, text: string) => ({ path: "speech.phrase", atAudioMs: 0, body: { RecognitionStatus: status, DisplayText: text, Offset: 0, Duration: 1 } });

describe("recordedFinalTexts", () => {
  it("lists the text of every successful phrase with text, across turns, in order", () => {
    const session: RecordedAzureSession = {
      format: RECORDED_SESSION_FORMAT,
      provider: "azure",
      fixture: "t",
      audio: { file: "audio/t.wav", sha256: "", durationMs: 0 },
      source: { kind: "synthesized", description: "test" },
      request: {},
      turns: [
        { messages: [phrase("Success", "One."), { path: "speech.hypothesis", atAudioMs: 0, body: { Text: "two" } }, phrase("NoMatch", ""), phrase("Success", "Two.")] },
        { messages: [phrase("Success", "  "), phrase("Error", "lost"), phrase("Success", "Three.")] },
      ],
    };
    expect(recordedFinalTexts(session)).toEqual(["One.", "Two.", "Three."]);
  });
});
