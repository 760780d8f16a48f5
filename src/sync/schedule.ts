/**
 * When the next reconcile cycle runs: the interval on success, exponential
 * backoff on consecutive failures (capped, reset by a success), and jitter on
 * both so that many sync loops started together do not fetch in lockstep.
 * Pure: randomness is handed in.
 */
export interface ScheduleOptions {
  intervalMs: number;
  /** Upper bound of the backoff; never below the interval. */
  maxBackoffMs: number;
  /** 0.1 = ±10 %. */
  jitterRatio: number;
}

/** Delay before the next cycle, without jitter. failures = consecutive failed cycles so far. */
export function baseDelayMs(failures: number, opts: Pick<ScheduleOptions, "intervalMs" | "maxBackoffMs">): number {
  if (failures <= 0) return opts.intervalMs;
  const cap = Math.max(opts.intervalMs, opts.maxBackoffMs);
  // The first retry comes after one interval; each further failure doubles it.
  // The exponent is bounded so that 2 ** n cannot overflow to Infinity.
  return Math.min(opts.intervalMs * 2 ** Math.min(failures - 1, 40), cap);
}

/** ms spread uniformly over [ms·(1−ratio), ms·(1+ratio)]; random() is in [0, 1). */
export function withJitter(ms: number, ratio: number, random: () => number): number {
  return Math.max(0, Math.round(ms * (1 + ratio * (2 * random() - 1))));
}

/**
 * The delay before the next cycle. After failures the jittered backoff is
 * capped again, so --max-backoff is the longest wait, jitter included.
 */
export function nextDelayMs(failures: number, opts: ScheduleOptions, random: () => number): number {
  const delay = withJitter(baseDelayMs(failures, opts), opts.jitterRatio, random);
  return failures > 0 ? Math.min(delay, Math.max(opts.intervalMs, opts.maxBackoffMs)) : delay;
}
