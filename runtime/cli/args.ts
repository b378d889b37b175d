import { type ParseArgsConfig, parseArgs } from "node:util";
import { CliUsageError } from "./usage-error.js";

type OptionsConfig = NonNullable<ParseArgsConfig["options"]>;

/** What {@link parseCommandArgs} gives back: `node:util`'s parse of a strict config with `O`. */
export type ParsedCommandArgs<O extends OptionsConfig> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>
>;

/**
 * Parses a command's argv strictly (unknown options are errors, positionals allowed),
 * turning `node:util`'s parse errors into a `CliUsageError` for `command`.
 */
export function parseCommandArgs<const O extends OptionsConfig>(
  command: string,
  argv: readonly string[],
  options: O,
): ParsedCommandArgs<O> {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliUsageError((error as Error).message, command);
  }
}

/** The `-A/--app` option every app command takes. */
export const APP_OPTION = { app: { type: "string", short: "A" } } as const;

/** Parses the argv of a command that takes only `-A <module>`; resolves the module. */
export function parseAppOnly(command: string, argv: readonly string[]): string {
  const { values, positionals } = parseCommandArgs(command, argv, APP_OPTION);
  expectPositionals(command, positionals, []);
  return requireApp(command, values.app);
}

/** The module given with `-A`, or a usage error saying it is required. */
export function requireApp(command: string, app: string | undefined): string {
  if (!app) throw new CliUsageError("the option -A/--app <module> is required.", command);
  return app;
}

/**
 * The positionals, checked: the `required` ones present and nothing beyond `optional`,
 * each named in the error. Resolves them as a tuple, the optional ones maybe undefined.
 */
export function expectPositionals<
  const R extends readonly string[],
  const O extends readonly string[] = [],
>(
  command: string,
  positionals: readonly string[],
  required: R,
  optional?: O,
): [...{ [K in keyof R]: string }, ...{ [K in keyof O]: string | undefined }] {
  if (positionals.length < required.length) {
    const missing = required.slice(positionals.length).map((n) => `<${n}>`);
    throw new CliUsageError(`missing argument ${missing.join(" ")}.`, command);
  }
  const extra = positionals.slice(required.length + (optional?.length ?? 0));
  if (extra.length > 0) {
    throw new CliUsageError(`unexpected argument(s): ${extra.join(" ")}.`, command);
  }
  return [...positionals] as [
    ...{ [K in keyof R]: string },
    ...{ [K in keyof O]: string | undefined },
  ];
}

/** Parses JSON given on the command line, naming the argument when it does not parse. */
export function parseJsonArg(command: string, argName: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliUsageError(
      `${argName} is not valid JSON (${(error as Error).message}): ${text}`,
      command,
    );
  }
}

/** A number of seconds (0 or more, fractions allowed). */
export function parseSeconds(command: string, optionName: string, text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value < 0) {
    throw new CliUsageError(
      `${optionName} must be a number of seconds (0 or more), got '${text}'.`,
      command,
    );
  }
  return value;
}

/** A whole number from `min` up. */
export function parseInteger(command: string, optionName: string, text: string, min = 1): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) {
    throw new CliUsageError(
      `${optionName} must be a whole number of at least ${min}, got '${text}'.`,
      command,
    );
  }
  return value;
}

/** Queue names from `-Q a,b -Q c`, deduplicated, in order. */
export function splitList(values: readonly string[] | undefined): string[] | undefined {
  if (!values || values.length === 0) return undefined;
  const items = values.flatMap((v) => v.split(",")).map((v) => v.trim());
  return [...new Set(items.filter((v) => v.length > 0))];
}
