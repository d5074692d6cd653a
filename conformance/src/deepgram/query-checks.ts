/** The query of a request, with repeated keys (`keyterm`, `tag`, `redact`) as lists. */
export type ObservedQuery = Readonly<Record<string, string | readonly string[]>>;

/** Reads a URL's query, keeping every value of a repeated key. */
export function readQuery(url: URL): ObservedQuery {
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    query[key] = values.length === 1 ? (values[0] as string) : values;
  }
  return query;
}

const BOOLEAN = /^(true|false)$/;
const INTEGER = /^\d+$/;
/** Every listen parameter Deepgram documents for `/v1/listen` (streaming and pre-recorded), with a check of its value. */
const PARAMETERS: Readonly<Record<string, (value: string) => boolean>> = {
  model: (v) => /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(v),
  language: (v) => /^([a-z]{2,3}(-[A-Za-z0-9]{2,4})?|multi)$/.test(v),
  encoding: (v) => ["linear16", "linear32", "flac", "alaw", "mulaw", "amr-nb", "amr-wb", "opus", "ogg-opus", "speex", "g729"].includes(v),
  sample_rate: (v) => INTEGER.test(v) && Number(v) >= 8_000 && Number(v) <= 48_000,
  channels: (v) => INTEGER.test(v) && Number(v) >= 1,
  interim_results: (v) => BOOLEAN.test(v),
  vad_events: (v) => BOOLEAN.test(v),
  punctuate: (v) => BOOLEAN.test(v),
  smart_format: (v) => BOOLEAN.test(v),
  profanity_filter: (v) => BOOLEAN.test(v),
  diarize: (v) => BOOLEAN.test(v),
  filler_words: (v) => BOOLEAN.test(v),
  numerals: (v) => BOOLEAN.test(v),
  utterances: (v) => BOOLEAN.test(v),
  endpointing: (v) => v === "false" || (INTEGER.test(v) && Number(v) >= 10),
  utterance_end_ms: (v) => INTEGER.test(v) && Number(v) >= 1_000,
  keyterm: (v) => v.trim().length > 0,
  keywords: (v) => v.trim().length > 0,
  redact: (v) => /^[a-z_]+$/.test(v),
  tag: (v) => v.length > 0,
  mip_opt_out: (v) => BOOLEAN.test(v),
  detect_language: (v) => BOOLEAN.test(v),
};
/** Parameters that may be repeated. */
const REPEATABLE: ReadonlySet<string> = new Set(["keyterm", "keywords", "redact", "tag"]);

/** Problems with a listen query as Deepgram would judge it: unknown keys, bad values, options the model refuses. */
export function queryProblems(query: ObservedQuery, streaming: boolean): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    const check = PARAMETERS[key];
    if (!check) {
      problems.push(`unknown query parameter ${key}`);
      continue;
    }
    const values = typeof value === "string" ? [value] : value;
    if (values.length > 1 && !REPEATABLE.has(key)) problems.push(`${key} given ${values.length} times`);
    for (const item of values) if (!check(item)) problems.push(`${key}=${JSON.stringify(item)} is not valid`);
  }
  const model = typeof query["model"] === "string" ? query["model"] : "";
  if (!model) problems.push("no model");
  const nova3 = model === "nova-3" || model.startsWith("nova-3-");
  if (nova3 && query["keywords"] !== undefined) problems.push("keywords with a Nova-3 model (Deepgram refuses them; use keyterm)");
  if (!nova3 && query["keyterm"] !== undefined) problems.push(`keyterm with ${model} (only Nova-3 takes key terms)`);
  if (streaming) {
    if (query["encoding"] !== "linear16") problems.push("raw PCM must be sent with encoding=linear16");
    if (query["sample_rate"] === undefined) problems.push("encoding=linear16 needs sample_rate");
    if (query["utterance_end_ms"] !== undefined && query["interim_results"] !== "true") problems.push("utterance_end_ms needs interim_results=true");
  } else if (query["encoding"] !== undefined) problems.push("a pre-recorded WAV must not name an encoding");
  return problems;
}
