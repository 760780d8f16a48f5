import { describe, expect, it } from "vitest";
import { parseDatabaseUrl, redactUrl } from "../../src/store/database-url.js";

describe("database URLs", () => {
  it("chooses the dialect from the scheme", () => {
    expect(parseDatabaseUrl("file:./cfgsync.db")).toMatchObject({ dialect: "sqlite", file: "./cfgsync.db" });
    expect(parseDatabaseUrl("postgres://u@h/db").dialect).toBe("postgresql");
    expect(parseDatabaseUrl("postgresql://u@h/db").dialect).toBe("postgresql");
  });
  it("refuses other schemes and bare paths with a UserError", () => {
    expect(() => parseDatabaseUrl("mysql://h/db")).toThrow(/unsupported database URL scheme "mysql:"/);
    expect(() => parseDatabaseUrl("./cfgsync.db")).toThrow(/no scheme/);
  });
  it("masks passwords", () => {
    expect(redactUrl("postgresql://u:p%40ss@h:5432/db?sslmode=require")).toBe("postgresql://u:***@h:5432/db?sslmode=require");
    expect(redactUrl("postgresql://h/db?user=u&password=x")).toBe("postgresql://h/db?user=u&password=***");
    expect(parseDatabaseUrl("postgresql://u:secret@h/db").display).not.toContain("secret");
  });
});
