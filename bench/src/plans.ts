import type { DeepgramPlan } from "./deepgram/measure.js";
import type { OpenAIPlan } from "./openai.js";

/** Parts of the bench that can run alone (`--sections a,b`). */
export const SECTIONS = ["azure-latency", "azure-load", "azure-file", "azure-fast", "offline", "deepgram", "openai"] as const;
export type Section = (typeof SECTIONS)[number];

/** How much of each measurement a run does. */
export interface BenchPlan {
  readonly mode: "quick" | "full";
  /** 1a: runs per side of the 60 s fixture at 10×, 10 phrases each. */
  readonly phraseRuns: number;
  /** 1b: runs per side, one sample each. */
  readonly finishRuns: number;
  /** 1c: concurrency levels, the fixture each uses, and how often each is repeated per side (ABAB). */
  readonly concurrency: ReadonlyArray<{ readonly streams: number; readonly fixtureId: string; readonly repetitions: number }>;
  /** 1d: repeats of the 60 s fixture making the throughput file (10 = 10 minutes), and runs per side. */
  readonly throughputRepeats: number;
  readonly throughputRepetitions: number;
  /** 3: further recording lengths for the length axis of the scaling table (fixture × repeats). */
  readonly lengths: ReadonlyArray<{ readonly fixtureId: string; readonly repeats: number }>;
  readonly offlineRepetitions: number;
  readonly deepgram: DeepgramPlan;
  readonly openai: OpenAIPlan;
}

export const LONG_FIXTURE = "espeak-long-60s";

/** Section 4: latency runs of the 60 s fixture at 10×, and 1, 10, 100 real-time streams of `loadFixture`, `repetitions` per side each. */
function deepgramPlan(latencyRuns: number, loadFixture: string, repetitions: number, withoutReplay: boolean): DeepgramPlan {
  return {
    latencyFixture: LONG_FIXTURE,
    latencySpeed: 10,
    latencyRuns,
    loadFixture,
    levels: [1, 10, 100].map((streams) => ({ streams, repetitions })),
    withoutReplay,
  };
}

/**
 * Quick: a few minutes, enough to see a gross regression; most verdicts come out undecided and
 * say how many samples would decide. Full: enough samples for each goal's statistic (p99 over
 * 300 phrases a side, ratios over at least 5 ABAB repetitions a level).
 */
export const PLANS: Record<BenchPlan["mode"], BenchPlan> = {
  quick: {
    mode: "quick",
    phraseRuns: 4,
    finishRuns: 10,
    concurrency: [1, 10, 100].map((streams) => ({ streams, fixtureId: "librivox-0870", repetitions: 2 })),
    throughputRepeats: 2,
    throughputRepetitions: 3,
    lengths: [{ fixtureId: "librivox-multi", repeats: 1 }],
    offlineRepetitions: 2,
    deepgram: deepgramPlan(4, "librivox-0870", 2, false),
    openai: { transcribeFixture: LONG_FIXTURE, transcribeRuns: 15, realtimeFixture: LONG_FIXTURE, realtimeRuns: 3, realtimeSpeed: 10 },
  },
  full: {
    mode: "full",
    phraseRuns: 30,
    finishRuns: 40,
    concurrency: [1, 10, 100, 200].map((streams) => ({ streams, fixtureId: "librivox-multi", repetitions: 5 })),
    throughputRepeats: 10,
    throughputRepetitions: 100,
    lengths: [
      { fixtureId: "librivox-multi", repeats: 1 },
      { fixtureId: LONG_FIXTURE, repeats: 1 },
      { fixtureId: LONG_FIXTURE, repeats: 5 },
      { fixtureId: LONG_FIXTURE, repeats: 30 },
    ],
    offlineRepetitions: 5,
    deepgram: deepgramPlan(30, "librivox-multi", 5, true),
    openai: { transcribeFixture: LONG_FIXTURE, transcribeRuns: 60, realtimeFixture: LONG_FIXTURE, realtimeRuns: 30, realtimeSpeed: 10 },
  },
};

/** The sections a command line asks for: `--sections a,b`, or `--azure`, `--deepgram`, `--openai`, `--offline`; all without any. */
export function sectionsFrom(args: readonly string[]): Section[] {
  const listed = args[args.indexOf("--sections") + 1];
  const chosen = new Set<Section>();
  if (args.includes("--sections") && listed !== undefined) {
    for (const name of listed.split(",")) {
      if (!(SECTIONS as readonly string[]).includes(name)) throw new Error(`unknown section ${name}; sections: ${SECTIONS.join(", ")}`);
      chosen.add(name as Section);
    }
  }
  if (args.includes("--azure")) for (const section of ["azure-latency", "azure-load", "azure-file", "azure-fast"] as const) chosen.add(section);
  for (const section of ["deepgram", "openai", "offline"] as const) if (args.includes(`--${section}`)) chosen.add(section);
  return chosen.size === 0 ? [...SECTIONS] : SECTIONS.filter((section) => chosen.has(section));
}
