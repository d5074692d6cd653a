import { bytesPerSecond, type AudioFormat } from "@sttkit/core";
import { loadFixtures, readFixturePcm, type ResolvedFixture } from "@sttkit/conformance";

/**
 * A fixture's audio. Kept apart from the Azure sessions (`azure-sessions.ts`), which load the
 * Speech SDK: a worker measuring its side's start-up must not have loaded another SDK before.
 */
export interface BenchAudio {
  readonly fixture: ResolvedFixture;
  readonly format: AudioFormat;
  readonly pcm: Uint8Array;
  /** Exact length of `pcm` in ms (the manifest's figure is rounded). */
  readonly durationMs: number;
}

export function fixtureById(id: string): ResolvedFixture {
  const fixture = loadFixtures()._unsafeUnwrap().fixtures.find((candidate) => candidate.id === id);
  if (!fixture) throw new Error(`no fixture ${id}`);
  return fixture;
}

export function loadBenchAudio(id: string): BenchAudio {
  const fixture = fixtureById(id);
  const wav = readFixturePcm(fixture)._unsafeUnwrap();
  return { fixture, format: wav.format, pcm: wav.pcm, durationMs: (wav.pcm.byteLength / bytesPerSecond(wav.format)) * 1000 };
}

/** The fixture's PCM played `times` times back to back, as one long recording. */
export function repeatPcm(pcm: Uint8Array, times: number): Uint8Array {
  const out = new Uint8Array(pcm.byteLength * times);
  for (let copy = 0; copy < times; copy++) out.set(pcm, copy * pcm.byteLength);
  return out;
}
