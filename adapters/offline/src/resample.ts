/**
 * Doubles the sample rate of 16-bit mono PCM (8 kHz telephone audio to the 16 kHz the Debian
 * model was trained on) by linear interpolation. The model then sees no energy above 4 kHz, as
 * with any narrowband audio; this only makes the frame rate match.
 */
export class Upsampler2x {
  #previous: number | undefined;

  /** Upsamples one chunk, continuing smoothly from the previous chunk. */
  push(pcm: Uint8Array): Uint8Array {
    const samples = pcm.byteLength >> 1;
    const input = new DataView(pcm.buffer, pcm.byteOffset, samples * 2);
    const out = new Uint8Array(samples * 4);
    const output = new DataView(out.buffer);
    for (let i = 0; i < samples; i++) {
      const current = input.getInt16(i * 2, true);
      const previous = this.#previous ?? current;
      output.setInt16(i * 4, Math.round((previous + current) / 2), true);
      output.setInt16(i * 4 + 2, current, true);
      this.#previous = current;
    }
    return out;
  }
}
