/**
 * Starts the message with which the generated test file fails when the module cannot be run (it
 * does not load, or exports no conformance target). Apart from the suite entry, which imports
 * vitest, so that the command can use it without loading vitest.
 */
export const MODULE_ERROR_PREFIX = "sttkit conformance: ";
