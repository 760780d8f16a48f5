/** Wrapping Prisma's driver adapters: shared by the bulk writers and the fast reads that run on their connections. */

export type AnyFn = (...args: unknown[]) => unknown;

/** Calls through the proxy reach the real object: adapters keep state in #private fields. */
export function intercept<T extends object>(target: T, name: string, wrap: (real: AnyFn) => AnyFn): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver) as unknown;
      if (typeof value !== "function") return value;
      const bound = (value as AnyFn).bind(obj);
      return prop === name ? wrap(bound) : bound;
    },
  });
}
