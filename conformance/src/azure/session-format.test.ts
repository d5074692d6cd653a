import { describe, expect, it } from "vitest";
import { recordedFinalTexts, RECORDED_SESSION_FORMAT, type RecordedAzureSession } from "./session-format.js";

const phrase = (status: string, text: string) => ({ path: "speech.phrase", atAudioMs: 0, body: { RecognitionStatus: status, DisplayText: text, Offset: 0, Duration: 1 } });

describe("recordedFinalTexts", () => {
  it("lists the text of every successful phrase with text, across turns, in order", () => {
    const session: RecordedAzureSession = {
      format: RECORDED_SESSION_FORMAT,
      provider: "azure",
      fixture: "t",
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
