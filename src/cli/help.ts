import { Help, type Command } from "@oclif/core";
import { EXIT_CODE_MEANINGS } from "../domain/codes.js";

/** oclif's help, with the exit codes (scripts branch on them) under the root and every command. */
export default class CfgsyncHelp extends Help {
  override formatRoot(): string {
    return `${super.formatRoot()}\n\n${this.exitCodes()}`;
  }

  protected override formatCommand(command: Command.Loadable): string {
    return `${super.formatCommand(command)}\n\n${this.exitCodes()}`;
  }

  private exitCodes(): string {
    const rows = Object.entries(EXIT_CODE_MEANINGS).map(([code, meaning]) => `${code.padStart(2)}  ${meaning.replaceAll("`", "")}`);
    return this.section("EXIT CODES", rows.join("\n"));
  }
}
