/** Terminal styling that is a no-op unless colour was asked for (colour only on a TTY). */
export interface Style {
  green(s: string): string;
  yellow(s: string): string;
  red(s: string): string;
  magenta(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;

export function makeStyle(color: boolean): Style {
  if (!color) {
    const id = (s: string) => s;
    return { green: id, yellow: id, red: id, magenta: id, dim: id, bold: id };
  }
  return { green: wrap(32, 39), yellow: wrap(33, 39), red: wrap(31, 39), magenta: wrap(35, 39), dim: wrap(2, 22), bold: wrap(1, 22) };
}

/** The severity word of a diagnostic line, red or yellow. */
export function paintSeverity(style: Style): (severity: "error" | "warning") => string {
  return (s) => (s === "error" ? style.red(s) : style.yellow(s));
}

/**
 * Colour only on a terminal that can show it: off for NO_COLOR (https://no-color.org),
 * FORCE_COLOR=0, TERM=dumb and anything that is not a TTY (pipes, files, CI logs);
 * FORCE_COLOR=1 (or any other value) forces it on.
 */
export function wantsColor(stream: { isTTY?: boolean }, env: Readonly<Record<string, string | undefined>>): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "") return env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false";
  if (env.TERM === "dumb") return false;
  return Boolean(stream.isTTY);
}
