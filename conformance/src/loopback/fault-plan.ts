/** A test double's fault plan that may be limited to the first few connections. */
export interface ConnectionLimitedFaults {
  /** How many connection attempts, counted from the first, the faults apply to. Default: all. */
  readonly connections?: number;
}

/**
 * The faults in force for the connection attempt numbered `attempt` (0-based), if any: all of
 * them until `faults.connections` attempts were made, none after. Every vendor's double uses it,
 * so a fault that lasts one connection lets the adapter's recovery reach a healthy one.
 */
export function faultsForAttempt<Faults extends ConnectionLimitedFaults>(faults: Faults | undefined, attempt: number): Faults | undefined {
  if (!faults) return undefined;
  if (faults.connections !== undefined && attempt >= faults.connections) return undefined;
  return faults;
}
