import { isTerminal } from "../results/states.js";
import {
  APP_OPTION,
  expectPositionals,
  parseCommandArgs,
  parseSeconds,
  requireApp,
} from "./args.js";
import type { Command } from "./command.js";
import { println, type Writer } from "./io.js";
import { CliUsageError } from "./usage-error.js";
import { withApp } from "./with-app.js";

const NAME = "result";

/**
 * `celeriac result -A <module> <id> [--wait] [--timeout s]`: prints a task's state and,
 * once it is ready, its result as JSON or its error as `Name: message`. Exits with 1 when
 * the task failed (or was revoked), or when `--wait` timed out.
 */
export const result: Command = {
  name: NAME,
  summary: "Print a task's state and, when ready, its result (JSON) or error.",
  usage: "result -A <module> <id> [--wait] [--timeout s] [--traceback]",
  details: [
    "-A, --app <module>  the module that exports the app",
    "<id>                the task id",
    "--wait              wait for the task to finish",
    "--timeout <s>       with --wait, give up after this many seconds (default: wait forever)",
    "--traceback         also print the worker's traceback of a failed task",
    "Exit code: 0 when the task succeeded or is not ready yet, 1 when it failed or --wait timed out.",
  ],
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(NAME, argv, {
      ...APP_OPTION,
      wait: { type: "boolean" },
      timeout: { type: "string" },
      traceback: { type: "boolean" },
    });
    const [id] = expectPositionals(NAME, positionals, ["id"]);
    if (values.timeout !== undefined && !values.wait) {
      throw new CliUsageError("--timeout only applies with --wait.", NAME);
    }
    const timeout =
      values.timeout === undefined ? undefined : parseSeconds(NAME, "--timeout", values.timeout);
    const spec = requireApp(NAME, values.app);
    return withApp(io, spec, async (app) => {
      const res = app.asyncResult(id);
      if (values.wait) {
        try {
          await res.get({ ...(timeout === undefined ? {} : { timeout }), propagate: false });
        } catch (error) {
          println(io.out, `state:  ${await res.state()}`);
          println(io.err, `${(error as Error).name}: ${(error as Error).message}`);
          return 1;
        }
      }
      const state = await res.state();
      println(io.out, `state:  ${state}`);
      if (!isTerminal(state)) return 0;
      const value = await res.result();
      const failed = value instanceof Error;
      println(
        io.out,
        failed ? `error:  ${value.name}: ${value.message}` : `result: ${toJson(value)}`,
      );
      if (failed && values.traceback) printTraceback(io.out, await res.traceback());
      return failed ? 1 : 0;
    });
  },
};

function toJson(value: unknown): string {
  return JSON.stringify(value ?? null) ?? String(value);
}

function printTraceback(out: Writer, traceback: string | null): void {
  if (!traceback) return;
  println(out, "traceback:");
  for (const line of traceback.split("\n")) println(out, `  ${line}`);
}
