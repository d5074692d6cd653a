/**
 * Word error rate and the text normalisation behind it, aligned with NIST sclite's weights: for
 * the CLI's `--reference`, the conformance suite's bounds, benchmarks. No vendor SDK, no test
 * framework.
 *
 * @packageDocumentation
 * @module @sttkit/core/wer
 */
export { wordErrorRate, corpusWordErrorRate, normaliseWords, type WerResult, type WerPair } from "./wer.js";
