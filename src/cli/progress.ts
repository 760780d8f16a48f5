import type { Progress } from "../domain/progress.js";

export interface ProgressOptions {
  /** A phase is shown only once it has run this long (default 1 s): short work stays silent. */
  delayMs?: number;
  /** The clock (tests pin it). */
  now?: () => number;
}

/** Redraws of one phase's line at most this often. */
const REDRAW_MS = 100;
const CLEAR_LINE = "\r\x1b[2K";
const count = (n: number) => n.toLocaleString("en");

/**
 * Progress on a terminal: a phase that lasts longer than `delayMs` gets a line
 * on `stream` (stderr), redrawn in place as it counts, and left as a summary
 * line ("reading files: 10,000 (2.1 s)") when it ends. Work that blocks the
 * event loop redraws from advance(); work that awaits (the database) from a timer.
 */
export function terminalProgress(stream: { write(text: string): unknown }, opts: ProgressOptions = {}): Progress {
  const delayMs = opts.delayMs ?? 1000;
  const now = opts.now ?? (() => performance.now());
  let current: { name: string; total?: number; done: number; started: number; shown: boolean; drawn: number; timer?: NodeJS.Timeout } | undefined;

  const draw = () => {
    if (!current) return;
    const of = current.total !== undefined ? ` / ${count(current.total)}` : "";
    stream.write(`${CLEAR_LINE}${current.name}: ${count(current.done)}${of} ...`);
    current.shown = true;
    current.drawn = now();
  };
  const end = () => {
    if (!current) return;
    clearTimeout(current.timer);
    if (current.shown) stream.write(`${CLEAR_LINE}${current.name}: ${count(current.done)} (${((now() - current.started) / 1000).toFixed(1)} s)\n`);
    current = undefined;
  };
  return {
    phase(name, total) {
      end();
      current = { name, done: 0, started: now(), shown: false, drawn: 0, ...(total !== undefined ? { total } : {}) };
      current.timer = setTimeout(draw, delayMs);
      current.timer.unref();
    },
    advance(n = 1) {
      if (!current) return;
      current.done += n;
      const t = now();
      if (t - current.started >= delayMs && t - current.drawn >= REDRAW_MS) draw();
    },
    done: end,
  };
}
