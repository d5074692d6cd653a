import { mutate, type ConformanceTarget } from "@sttkit/conformance";
import { conformanceTarget as working } from "./conformance-target.js";

/**
 * The example adapter broken on purpose, to show what a failing report looks like: the
 * `drop-language` mutant from `@sttkit/conformance` never reports the language of a final, so the
 * scenario "the language option is honoured" fails and says why.
 *
 *     npx sttkit conformance --adapter examples/conformance-new-adapter/broken-conformance-target.ts -t "language option"
 */
export const conformanceTarget: ConformanceTarget = {
  ...working,
  name: "example, broken: finals without their language (mutant drop-language)",
  async create(context) {
    const built = await working.create(context);
    return built.map((instance) => ({ ...instance, stt: mutate(instance.stt, "drop-language") }));
  },
};
