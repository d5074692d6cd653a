import type { DeepgramSide } from "./clients.js";

/**
 * Work for a child: `streams` concurrent real-time streams of the fixture against the parent's
 * local server. The child answers with the Azure bench's `WorkerReport`.
 */
export interface DeepgramWorkerJob {
  readonly side: DeepgramSide;
  readonly baseUrl: string;
  readonly fixtureId: string;
  readonly streams: number;
}
