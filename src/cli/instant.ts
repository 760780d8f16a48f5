import { UserError } from "../domain/diagnostic.js";
import { inert } from "../domain/inert.js";
import { effectiveFrom } from "../schema/schedule.js";

/** A flag naming an instant (`plan --at`): written as an entry's effective_from is, with its zone. */
export function parseInstantFlag(text: string, flag: string): Date {
  if (!effectiveFrom.safeParse(text).success) {
    throw new UserError("usage.invalid-flag", `--${flag} ${inert(text.slice(0, 60))} is not a timestamp with a zone, such as 2027-01-01T00:00:00Z`);
  }
  return new Date(Date.parse(text));
}
