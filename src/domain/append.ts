/**
 * Appends items one at a time. `target.push(...items)` passes every item as
 * an argument, which overflows the call stack somewhere past 100k items (a
 * large plan's lines, a large catalog's diagnostics); so does
 * `Math.max(...values)`. test/lint/no-spread-calls.test.ts keeps src/ free of both.
 */
export function appendAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}

