/**
 * The loop every vendor's session synthesizer shares: for each fixture, recognise it with
 * PocketSphinx, let the vendor write what its service would have sent, save it in the shared
 * envelope under `sessions/<provider>/`, and print the word error rate. Sessions recorded from the
 * real service are never overwritten.
 *
 * @module
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { corpusWordErrorRate, wordErrorRate } from "@sttkit/core/wer";
import { loadFixtures, type ResolvedFixture } from "../manifest/load.js";
import type { AudioFixture } from "../manifest/manifest-format.js";
import { RECORDED_SESSION_FORMAT, type RecordedAudioReference, type RecordedSession } from "../sessions/envelope.js";
import type { WerBounds } from "../suite/target.js";
import { audioReferenceOf, loadRecordedSession, recordedSessionPath } from "../sessions/load.js";
import { pocketsphinxEngine, recogniseWithPocketsphinx, type FixtureRecognition } from "./recognise-fixture.js";

/** Provenance of a synthesized session: the engine that heard the audio, and the audio itself. */
export interface SynthesisProvenance {
  /** The recogniser and its version, e.g. `CMU PocketSphinx 0.8+5prealpha+1-15`. */
  readonly engine: string;
  /** How the audio was prepared for the engine, if it was (resampling); said in the session's description. */
  readonly preparation?: string;
  /** The fixture audio the session stands for. */
  readonly audio: RecordedAudioReference;
}

/**
 * The word error rate bounds, by fixture kind, of the shipped synthesized sessions themselves:
 * every vendor's are written from the same PocketSphinx recognition, so an adapter replaying them
 * faithfully stays within these. A second check only for such a target; its `expectedFinals` is
 * the exact one.
 */
export const SYNTHESIZED_SESSION_WER_BOUNDS: Readonly<WerBounds> = Object.freeze({ clean: 0.5, noisy: 0.8, narrowband: 0.8, long: 0.7 });

/** How a vendor's synthesized sessions say what they are: its wire format, and how to replace them. */
export interface SynthesizedVendor {
  /** The provider name, as in configuration (`azure`). */
  readonly provider: string;
  /** The wire format the messages are written in, for people (`the Azure Speech wire format`). */
  readonly wireFormat: string;
  /** The command that records sessions from the service (`npm run record-azure -w @sttkit/conformance`). */
  readonly recordCommand: string;
  /** When recording can be done (`credentials are available`). */
  readonly recordableWhen: string;
}

/**
 * The envelope of a synthesized session, up to its request and messages, said the same way for
 * every vendor: format, provider, fixture, audio reference and provenance.
 */
export function synthesizedEnvelope(
  vendor: SynthesizedVendor,
  fixture: AudioFixture,
  provenance: SynthesisProvenance,
): Pick<RecordedSession, "format" | "provider" | "fixture" | "audio" | "source"> {
  const prepared = provenance.preparation ? ` ${provenance.preparation}` : "";
  return {
    format: RECORDED_SESSION_FORMAT,
    provider: vendor.provider,
    fixture: fixture.id,
    audio: provenance.audio,
    source: {
      kind: "synthesized",
      description:
        `Synthesized offline in ${vendor.wireFormat} from ${provenance.engine} (acoustic model and dictionary from Debian's pocketsphinx-en-us) ` +
        `recognising the fixture: its words, word timings, confidences and utterance boundaries are PocketSphinx's.${prepared} ` +
        `Replace it with a recording from the service (${vendor.recordCommand}) when ${vendor.recordableWhen}.`,
    },
  };
}

/** Writes one vendor's session for a fixture from what the engine recognised. */
export type SessionSynthesizer = (fixture: ResolvedFixture, recognition: FixtureRecognition, provenance: SynthesisProvenance) => RecordedSession<object, object>;

/**
 * Synthesizes `provider`'s sessions of the given fixtures (all when `only` is empty), printing each
 * one's word error rate against its reference. Returns the process exit code.
 */
export function synthesizeSessions(provider: string, synthesize: SessionSynthesizer, only: readonly string[] = []): number {
  const loaded = loadFixtures();
  if (loaded.isErr()) {
    console.error(loaded.error.message);
    return 1;
  }
  const { directory, fixtures } = loaded.value;
  const unknown = only.filter((id) => !fixtures.some((fixture) => fixture.id === id));
  if (unknown.length > 0) {
    console.error(`Unknown fixture id(s): ${unknown.join(", ")}`);
    return 1;
  }
  const engine = pocketsphinxEngine();
  const scored: Array<{ reference: string; hypothesis: string }> = [];
  for (const fixture of fixtures) {
    if (only.length > 0 && !only.includes(fixture.id)) continue;
    const target = recordedSessionPath(fixture.id, provider, directory);
    if (existsSync(target) && loadRecordedSession(fixture.id, provider, directory).map((session) => session.source.kind === "service").unwrapOr(false)) {
      console.log(`${fixture.id}: recorded from the service, kept`);
      continue;
    }
    const recognition = recogniseWithPocketsphinx(fixture);
    if (recognition.isErr()) {
      console.error(recognition.error.message);
      return 1;
    }
    const { utterances, preparation } = recognition.value;
    const session = synthesize(fixture, recognition.value, { engine, audio: audioReferenceOf(fixture, directory), ...(preparation ? { preparation } : {}) });
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, `${JSON.stringify(session, null, 1)}\n`);
    const hypothesis = utterances.map((words) => words.map((w) => w.word).join(" ")).join(" ");
    scored.push({ reference: fixture.reference, hypothesis });
    const wer = wordErrorRate(fixture.reference, hypothesis);
    console.log(
      `${fixture.id} (${fixture.kind}): ${utterances.length} utterance(s), WER ${wer.wer.toFixed(3)} ` +
        `(S ${wer.substitutions}, D ${wer.deletions}, I ${wer.insertions} of ${wer.referenceWords} words): "${hypothesis}"`,
    );
  }
  const corpus = corpusWordErrorRate(scored);
  console.log(`all synthesized: WER ${corpus.wer.toFixed(3)} over ${corpus.referenceWords} reference words (${engine})`);
  return 0;
}
