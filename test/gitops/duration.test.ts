import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration, parseDurationAtLeast } from "../../src/app/duration.js";
import { UserError } from "../../src/domain/diagnostic.js";

describe("parseDuration", () => {
  it.each([
    ["500ms", 500],
    ["1s", 1000],
    ["60s", 60_000],
    ["5m", 300_000],
    ["1h", 3_600_000],
    ["1.5s", 1500],
    ["1m30s", 90_000],
    ["1h2m3s", 3_723_000],
    [" 2s ", 2000],
    ["0ms", 0],
  ])("reads %j as %i ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(["60", "", "s", "1 s", "-5s", "5d", "1.s", "5sec", "1m 30s", "ms5"])("refuses %j with a user error naming the flag", (text) => {
    expect(() => parseDuration(text, "interval")).toThrow(UserError);
    expect(() => parseDuration(text, "interval")).toThrow(/--interval/);
  });

  it("refuses a duration below the flag's minimum", () => {
    expect(() => parseDurationAtLeast("10ms", "interval", 100)).toThrow(/too short: the minimum is 100ms/);
    expect(parseDurationAtLeast("100ms", "interval", 100)).toBe(100);
  });

  it("formats durations back for messages", () => {
    expect(formatDuration(250)).toBe("250ms");
    expect(formatDuration(1500)).toBe("1.5s");
    expect(formatDuration(90_000)).toBe("1m30s");
    expect(formatDuration(3_600_000)).toBe("1h");
  });
});
