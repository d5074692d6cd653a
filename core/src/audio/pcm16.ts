/**
 * Interleaves per-channel samples on the 16-bit scale into 16-bit little-endian PCM, rounding and
 * clipping to the integer range. With one channel it is plain encoding.
 */
export function encodePcm16(channels: readonly Float64Array[]): Uint8Array {
  const count = channels.length === 0 ? 0 : Math.min(...channels.map((samples) => samples.length));
  const width = channels.length;
  const out = new Uint8Array(count * width * 2);
  const writer = new DataView(out.buffer);
  for (let frame = 0; frame < count; frame++) {
    for (let channel = 0; channel < width; channel++) {
      const value = Math.round((channels[channel] as Float64Array)[frame] as number);
      writer.setInt16((frame * width + channel) * 2, value > 32_767 ? 32_767 : value < -32_768 ? -32_768 : value, true);
    }
  }
  return out;
}
