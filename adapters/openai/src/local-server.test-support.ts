import { readWavFile, type WavAudio } from "@sttkit/core";
import { loadFixtures, type ResolvedFixture } from "@sttkit/conformance";
import { loadOpenAISession, startOpenAIReplayServer, type OpenAIFaults, type OpenAIReplayServer, type RecordedOpenAISession } from "@sttkit/conformance/openai";
import { createOpenAISpeechToText, type OpenAIConfig, type OpenAISpeechToText } from "./index.js";

/** The key the local server expects in these tests: never a real one. */
export const TEST_KEY = "sk-test-0123456789abcdefghij";

/** A fixture with its recorded OpenAI session and audio, served by a local OpenAI server. */
export interface LocalOpenAI {
  readonly fixture: ResolvedFixture;
  readonly session: RecordedOpenAISession;
  readonly audio: WavAudio;
  readonly server: OpenAIReplayServer;
  /** An adapter pointed at the server (key, base URL, CA), with `config` on top. */
  adapter(config?: OpenAIConfig): OpenAISpeechToText;
}

/** Starts the local OpenAI server replaying `fixtureId`'s session. */
export async function startLocalOpenAI(fixtureId: string, faults?: OpenAIFaults): Promise<LocalOpenAI> {
  const fixture = loadFixtures()._unsafeUnwrap().fixtures.find((candidate) => candidate.id === fixtureId);
  if (!fixture) throw new Error(`no fixture ${fixtureId}`);
  const session = loadOpenAISession(fixtureId)._unsafeUnwrap();
  const audio = (await readWavFile(fixture.audioPath))._unsafeUnwrap();
  const server = (await startOpenAIReplayServer({ session, audio, expectedKey: TEST_KEY, keepAudio: true, ...(faults ? { faults } : {}) }))._unsafeUnwrap();
  return {
    fixture,
    session,
    audio,
    server,
    adapter: (config = {}) =>
      createOpenAISpeechToText({ apiKey: TEST_KEY, baseURL: server.baseURL, ca: server.ca, ...config, batch: { maxRetries: 0, ...config.batch } }, {})._unsafeUnwrap(),
  };
}
