/*
 * Counts the statements Prisma sends to the database, by wrapping the driver
 * adapter: every queryRaw/executeRaw (and the BEGIN of a transaction) is one
 * round trip. Tests and the bench use it to prove that reads grow with the
 * number of tables, not rows.
 */

export interface RoundTripCounter {
  count: number;
}

type AnyFn = (...args: unknown[]) => unknown;

const COUNTED = new Set(["queryRaw", "executeRaw", "executeScript", "startTransaction"]);

/** A proxy over an object whose counted methods bump the counter; transactions are wrapped too. */
function counting<T extends object>(target: T, counter: RoundTripCounter): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver) as unknown;
      if (typeof value !== "function") return value;
      // Bound to the real object: adapters keep state in #private fields a proxy cannot reach.
      const bound = (value as AnyFn).bind(obj);
      if (typeof prop !== "string" || !COUNTED.has(prop)) return bound;
      return async (...args: unknown[]) => {
        counter.count++;
        const result = await bound(...args);
        return prop === "startTransaction" && result && typeof result === "object" ? counting(result, counter) : result;
      };
    },
  });
}

/** Wraps a Prisma driver adapter factory so that every adapter it connects is counted. */
export function countingAdapterFactory<F extends { connect(): Promise<object> }>(factory: F, counter: RoundTripCounter): F {
  return new Proxy(factory, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver) as unknown;
      if (typeof value !== "function") return value;
      const bound = (value as AnyFn).bind(obj);
      if (prop !== "connect") return bound;
      return async () => counting((await bound()) as object, counter);
    },
  });
}
