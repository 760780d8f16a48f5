import { describe, expect, test } from "vitest";
import { dec, formatPct, formatUsd, pctFigure } from "../../src/domain/money.js";
import { marginPercent, signedMoney } from "../../src/render/figures.js";

describe("one presentation of figures (issue #13)", () => {
  test("money to the cent from a dollar up, four significant digits below: never $0.1, $6.1 or $57", () => {
    const cases: [string, string][] = [
      ["0.1", "$0.10"],
      ["6.1", "$6.10"],
      ["57", "$57.00"],
      ["0.04", "$0.04"],
      ["0.008", "$0.008"],
      ["0.042", "$0.042"],
      ["0.0005394", "$0.0005394"],
      ["0.160539", "$0.1605"],
      ["0.99995", "$1.00"],
      ["1234.565", "$1234.57"],
      ["-0.25", "-$0.25"],
      ["0", "$0.00"],
    ];
    expect(cases.map(([v]) => [v, formatUsd(v)])).toEqual(cases);
  });

  test("percentages have two decimals everywhere and round half-up: 98.125 % is 98.13 %", () => {
    expect(formatPct("98.125")).toBe("98.13 %");
    expect(pctFigure(dec("0.98125"))).toBe("98.13");
    expect(formatPct("60")).toBe("60.00 %");
    expect(pctFigure(dec("0.6"))).toBe("60.00");
  });

  test("a negative margin carries a sign and a word, readable without colour", () => {
    expect(marginPercent("-10")).toBe("-10.00 % (loss)");
    expect(marginPercent("10")).toBe("10.00 %");
    expect(signedMoney("0.2")).toBe("+$0.20");
    expect(signedMoney("-0.05")).toBe("-$0.05");
  });
});
