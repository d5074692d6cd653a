/** The provider name used in configuration and put on every error. */
export const PROVIDER = "azure";

/** PCM sample rates the Speech service accepts from a push stream, in Hz. */
export const AZURE_SAMPLE_RATES: readonly number[] = Object.freeze([8_000, 16_000, 22_050, 24_000, 32_000, 44_100, 48_000]);
