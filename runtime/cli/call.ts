import type { CallOptions } from "../canvas/options.js";
import type { AnySignature } from "../canvas/signature.js";
import type { JsonObject } from "../types/json.js";
import {
  APP_OPTION,
  expectPositionals,
  parseCommandArgs,
  parseJsonArg,
  parseSeconds,
  requireApp,
} from "./args.js";
import type { Command } from "./command.js";
import { println } from "./io.js";
import { CliUsageError } from "./usage-error.js";
import { withApp } from "./with-app.js";

const NAME = "call";

/**
 * `celeriac call -A <module> <task> [args] [--kwargs json] [--queue q] [--countdown s]`:
 * sends a task by name, as `celery call` does, and prints its id. The task need not be
 * registered in this app (a worker elsewhere may know it).
 */
export const call: Command = {
  name: NAME,
  summary: "Send a task by name and print its id.",
  usage: "call -A <module> <task> [args] [--kwargs json] [--queue q] [--countdown s]",
  details: [
    "-A, --app <module>  the module that exports the app",
    "<task>              the task's name, e.g. proj.tasks.add",
    "[args]              the positional arguments, a JSON array, e.g. '[2, 2]' (or --args)",
    "--kwargs <json>     keyword arguments, a JSON object, e.g. '{\"debug\": true}'",
    "--queue <q>         the routing key to send to (default: the task's route)",
    "--countdown <s>     seconds to wait before the task runs",
    "--expires <s>       seconds after which the task is discarded unrun",
  ],
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(NAME, argv, {
      ...APP_OPTION,
      args: { type: "string" },
      kwargs: { type: "string" },
      queue: { type: "string", short: "Q" },
      countdown: { type: "string" },
      expires: { type: "string" },
    });
    const [task, argsText] = expectPositionals(NAME, positionals, ["task"], ["args"]);
    if (argsText !== undefined && values.args !== undefined) {
      throw new CliUsageError("give the arguments once: as [args] or as --args.", NAME);
    }
    const args = parseArgsArray(argsText ?? values.args);
    const kwargs = parseKwargs(values.kwargs);
    const options: CallOptions<AnySignature> = {};
    if (values.queue !== undefined) options.queue = values.queue;
    if (values.countdown !== undefined)
      options.countdown = parseSeconds(NAME, "--countdown", values.countdown);
    if (values.expires !== undefined)
      options.expires = parseSeconds(NAME, "--expires", values.expires);
    const spec = requireApp(NAME, values.app);
    return withApp(io, spec, async (app) => {
      refuseInProcessBroker(app.name, app.broker.description);
      const result = await app.signature(task, { args, kwargs }).applyAsync([], {}, options);
      println(io.out, result.id);
      return 0;
    });
  },
};

/**
 * A message sent to `memory://` lives in this process's queue and dies with it: no
 * worker ever sees it, so `call` refuses rather than print the id of a lost task.
 */
export function refuseInProcessBroker(appName: string, broker: string): void {
  if (!broker.startsWith("memory://")) return;
  throw new CliUsageError(
    `app '${appName}' sends to the in-process broker ${broker}: the message would be lost ` +
      "when this command exits, and no worker would see it. Give the app a broker that " +
      "outlives the process: sqs:// (for an app that reads it from the environment, as " +
      "examples/proj does: export CELERIAC_BROKER=sqs://), pointed at SQS or at the " +
      "emulators of 'celeriac local serve', whose output has the exports.",
    NAME,
  );
}

function parseArgsArray(text: string | undefined): unknown[] {
  if (text === undefined) return [];
  const value = parseJsonArg(NAME, "args", text);
  if (!Array.isArray(value)) {
    throw new CliUsageError(
      `args must be a JSON array of arguments, e.g. '[2, 2]', got: ${text}`,
      NAME,
    );
  }
  return value;
}

function parseKwargs(text: string | undefined): JsonObject {
  if (text === undefined) return {};
  const value = parseJsonArg(NAME, "--kwargs", text);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new CliUsageError(
      `--kwargs must be a JSON object, e.g. '{"debug": true}', got: ${text}`,
      NAME,
    );
  }
  return value as JsonObject;
}
