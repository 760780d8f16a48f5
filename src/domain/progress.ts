/**
 * Progress of long work (reading files, validating, reading the database,
 * planning, writing), reported by the layers that do it. Whether and how it is
 * shown is the command line's business: the layers only count.
 */
export interface Progress {
  /** A phase starts (ending the previous one); `total` when known up front. */
  phase(name: string, total?: number): void;
  /** `n` more items of the current phase are done. */
  advance(n?: number): void;
  /** The current phase ends. */
  done(): void;
}

/** What library callers and tests get: nothing shown, nothing kept. */
export const NO_PROGRESS: Progress = { phase() {}, advance() {}, done() {} };
