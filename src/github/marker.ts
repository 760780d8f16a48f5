/**
 * The hidden first line of cfgsync's comments: what the comment is and, for
 * the apply job, what was reviewed. Example:
 *   <!-- cfgsync:plan env=production head=0f3c…(40) changes=sha256:9a1e… -->
 * It is trusted only on comments written by the token's own identity
 * (identity.ts); anyone can type the same text.
 */
export type MarkerKind = "plan" | "unapplied";

export interface Marker {
  kind: MarkerKind;
  env: string;
  /** plan: the pull request head commit the plan was made for. */
  head?: string;
  /** unapplied: the commit whose apply was refused. */
  sha?: string;
  /** The change-set digest of the plan shown (plan JSON `changes_digest`). */
  changes?: string;
}

const VALUE = /^[A-Za-z0-9._:-]{1,100}$/;
const LINE = /^<!-- cfgsync:(plan|unapplied) env=([A-Za-z0-9._-]+)((?: [a-z]+=[A-Za-z0-9._:-]+)*) -->/;

/**
 * The first line of the one sticky comment that holds a section per
 * environment (`github comment --env NAME`); each section opens with its own
 * plan marker line.
 */
export const ENVIRONMENTS_MARKER = "<!-- cfgsync:environments -->";

/** Whether `body` is the sectioned comment (a reply quoting it does not open with the marker). */
export function isSectionedComment(body: string | null | undefined): boolean {
  return (body ?? "").trimStart().startsWith(ENVIRONMENTS_MARKER + "\n");
}

/** The sections of the sectioned comment, in order: each its marker and its whole text (marker line included). */
export function parseSections(body: string): Array<{ marker: Marker; text: string }> {
  const lines = body.trimStart().split("\n").slice(1);
  const sections: Array<{ marker: Marker; text: string[] }> = [];
  for (const line of lines) {
    const marker = line.startsWith("<!-- cfgsync:plan ") ? parseMarker(line) : undefined;
    if (marker) sections.push({ marker, text: [line] });
    else sections.at(-1)?.text.push(line);
  }
  return sections.map((s) => ({ marker: s.marker, text: s.text.join("\n").trimEnd() }));
}

export function formatMarker(marker: Marker): string {
  const extra = (["head", "sha", "changes"] as const)
    .filter((key) => marker[key] !== undefined && VALUE.test(marker[key]!))
    .map((key) => ` ${key}=${marker[key]}`)
    .join("");
  return `<!-- cfgsync:${marker.kind} env=${marker.env}${extra} -->`;
}

/** The marker opening `body`, if any. A reply quoting one ("> <!-- …") does not open with it. */
export function parseMarker(body: string | null | undefined): Marker | undefined {
  const match = LINE.exec((body ?? "").trimStart());
  if (!match) return undefined;
  const marker: Marker = { kind: match[1] as MarkerKind, env: match[2]! };
  for (const pair of (match[3] ?? "").trim().split(" ").filter(Boolean)) {
    const [key, value] = pair.split("=") as [string, string];
    if (key === "head" || key === "sha" || key === "changes") marker[key] = value;
  }
  return marker;
}
