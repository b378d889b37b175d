import type { CliIo } from "./io.js";

/** One `celeriac` command, e.g. `call` or `local up`. */
export interface Command {
  /** The words that select it: `worker`, `local up`. */
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** The synopsis, without the leading `celeriac`. */
  readonly usage: string;
  /** Lines describing the arguments and options, shown by `--help`. */
  readonly details: readonly string[];
  /** Runs it with the arguments after its name; resolves the exit code. */
  run(argv: readonly string[], io: CliIo): Promise<number>;
}

/** The `--help` text of a command. */
export function formatHelp(command: Command): string {
  const lines = [`Usage: celeriac ${command.usage}`, "", command.summary];
  if (command.details.length > 0) lines.push("", ...command.details.map((d) => `  ${d}`));
  return `${lines.join("\n")}\n`;
}
