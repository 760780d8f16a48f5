import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { canonicalPlainDecimal, Dec, decimalEquals, toDecimalString } from "../../src/domain/money.js";

/* The canonical decimal text without a decimal object must be exactly what Dec writes. */
describe("canonical decimal text", () => {
  const plain = fc.tuple(fc.constantFrom("", "-"), fc.stringMatching(/^\d{1,45}$/), fc.option(fc.stringMatching(/^\d{1,45}$/), { nil: undefined }));
  test("a plain decimal's canonical text is Dec's toFixed", () => {
    fc.assert(
      fc.property(plain, ([sign, whole, fraction]) => {
        const text = sign + whole + (fraction === undefined ? "" : "." + fraction);
        expect(canonicalPlainDecimal(text)).toBe(new Dec(text).toFixed());
      }),
      { numRuns: 2000 },
    );
  });

  test("other notations are left to Dec, and equality is Dec's", () => {
    for (const text of ["1e-20", "1E5", ".5", "5.", "+1", " 2", "0x10", "1_000", "Infinity", ""]) expect(canonicalPlainDecimal(text)).toBeUndefined();
    expect(toDecimalString("1e-20")).toBe("0.00000000000000000001");
    expect(toDecimalString("-0.000")).toBe("0");
    fc.assert(
      fc.property(plain, plain, ([s1, w1, f1], [s2, w2, f2]) => {
        const a = s1 + w1 + (f1 === undefined ? "" : "." + f1);
        const b = s2 + w2 + (f2 === undefined ? "" : "." + f2);
        expect(decimalEquals(a, b)).toBe(new Dec(a).eq(new Dec(b)));
        expect(decimalEquals(a, a + (a.includes(".") ? "000" : ".000"))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
