import { loadFixtures, readFixturePcm, type ResolvedFixture } from "@sttkit/conformance";
import { loadDeepgramSession, startDeepgramServer, type DeepgramServer, type DeepgramServerOptions } from "@sttkit/conformance/deepgram";
import type { WavAudio } from "@sttkit/core";
import { afterEach } from "vitest";

/** The fixture the adapter's own tests stream: several utterances of real speech. */
export const fixture = loadFixtures()._unsafeUnwrap().fixtures.find((f) => f.id === "librivox-multi") as ResolvedFixture;
/** Its recorded Deepgram session. */
export const session = loadDeepgramSession(fixture.id)._unsafeUnwrap();
/** Its audio. */
export const wav: WavAudio = readFixturePcm(fixture)._unsafeUnwrap();

let running: DeepgramServer | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

/** The local Deepgram server of the test under way, if one was started. */
export function currentServer(): DeepgramServer | undefined {
  return running;
}

/**
 * Starts the local Deepgram server replaying the fixture's session (the fixture's audio given as
 * the recording), closed after the test.
 */
export async function startLocalServer(options: Omit<DeepgramServerOptions, "session">): Promise<DeepgramServer> {
  running = await startDeepgramServer({ session, recording: wav.pcm, ...options });
  return running;
}
