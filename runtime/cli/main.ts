import type { Command } from "./command.js";
import { formatHelp } from "./command.js";
import { COMMANDS } from "./commands.js";
import { type CliIo, println, processIo } from "./io.js";
import { AppLoadError } from "./load-app.js";
import { CliUsageError } from "./usage-error.js";
import { celeriacVersion } from "./version.js";

/** Exit codes: success, a failure at run time (or a failed task), a usage error. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

const HELP_FLAGS = new Set(["-h", "--help"]);

/**
 * Runs the `celeriac` command line: `argv` is what follows the program name
 * (`process.argv.slice(2)`). Resolves the exit code and never rejects: usage errors
 * (an unknown command or option, bad JSON, an app module that cannot be loaded) print
 * a message and give 2, other errors give 1. Pass `io` to run it in-process, as tests do.
 *
 * @example
 * process.exitCode = await runCli(["inspect", "registered", "-A", "proj/tasks.ts"]);
 */
export async function runCli(argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const cli: CliIo = { ...processIo(), ...io };
  const [first, ...rest] = argv;
  if (first === undefined) {
    cli.err.write(topHelp());
    return EXIT_USAGE;
  }
  if (HELP_FLAGS.has(first)) {
    cli.out.write(topHelp());
    return EXIT_OK;
  }
  if (first === "--version" || first === "-V") {
    println(cli.out, `celeriac ${celeriacVersion()}`);
    return EXIT_OK;
  }
  try {
    if (first === "help") return printHelpOf(rest, cli);
    const family = familyHelp(first);
    if (family && HELP_FLAGS.has(rest[0] ?? "")) {
      cli.out.write(family);
      return EXIT_OK;
    }
    const { command, args } = selectCommand(argv);
    if (args.some((a) => HELP_FLAGS.has(a))) {
      cli.out.write(formatHelp(command));
      return EXIT_OK;
    }
    return await command.run(args, cli);
  } catch (error) {
    return report(error, cli);
  }
}

/** The command that `argv` names (one word, or two for `inspect` and `local`). */
export function selectCommand(argv: readonly string[]): { command: Command; args: string[] } {
  const [first = "", second] = argv;
  const twoWords = COMMANDS.find((c) => c.name === `${first} ${second}`);
  if (twoWords) return { command: twoWords, args: argv.slice(2) };
  const oneWord = COMMANDS.find((c) => c.name === first);
  if (oneWord) return { command: oneWord, args: argv.slice(1) };
  const family = COMMANDS.filter((c) => c.name.startsWith(`${first} `));
  if (family.length > 0) {
    const subs = family.map((c) => c.name.split(" ")[1]).join(", ");
    const what = second === undefined ? "needs a subcommand" : `has no subcommand '${second}'`;
    throw new CliUsageError(`'${first}' ${what}; use one of: ${subs}.`);
  }
  throw new CliUsageError(`unknown command '${first}'. Commands: ${commandWords().join(", ")}.`);
}

function printHelpOf(words: readonly string[], io: CliIo): number {
  if (words.length === 0) {
    io.out.write(topHelp());
    return EXIT_OK;
  }
  io.out.write(
    words.length === 1
      ? (familyHelp(words[0]!) ?? formatHelp(selectCommand(words).command))
      : formatHelp(selectCommand(words).command),
  );
  return EXIT_OK;
}

/**
 * The help of a command family (`inspect`, `local`, `dlq`): its subcommands and what
 * each does; undefined when `word` names no family.
 */
export function familyHelp(word: string): string | undefined {
  const family = COMMANDS.filter((c) => c.name.startsWith(`${word} `));
  if (family.length === 0) return undefined;
  const width = Math.max(...family.map((c) => c.name.length)) + 2;
  return [
    `Usage: celeriac ${word} <subcommand> [options]`,
    "",
    "Subcommands:",
    ...family.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    "",
    `Run 'celeriac ${word} <subcommand> --help' for a subcommand's options.`,
    "",
  ].join("\n");
}

function report(error: unknown, io: CliIo): number {
  if (error instanceof CliUsageError) {
    const prefix = error.command ? `celeriac ${error.command}` : "celeriac";
    println(io.err, `${prefix}: error: ${error.message}`);
    const command = COMMANDS.find((c) => c.name === error.command);
    println(
      io.err,
      command
        ? `Usage: celeriac ${command.usage}\nRun 'celeriac ${command.name} --help' for details.`
        : "Run 'celeriac --help' for the commands.",
    );
    return EXIT_USAGE;
  }
  if (error instanceof AppLoadError) {
    println(io.err, `celeriac: error: ${error.message}`);
    return EXIT_USAGE;
  }
  const described = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  println(io.err, `celeriac: ${described}`);
  return EXIT_FAILURE;
}

/** Distinct first words of the commands: worker, call, ..., inspect, local. */
function commandWords(): string[] {
  return [...new Set(COMMANDS.map((c) => c.name.split(" ")[0] as string))];
}

function topHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return [
    "Usage: celeriac <command> [options]",
    "",
    "Celery's tasks and Canvas on SQS, Lambda and DynamoDB.",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    "",
    "Run 'celeriac <command> --help' for a command's options.",
    "",
  ].join("\n");
}
