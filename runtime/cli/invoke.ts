import { invokeFunction } from "../adapters/lambda/invoke-function.js";
import { expectPositionals, parseCommandArgs, parseJsonArg } from "./args.js";
import type { Command } from "./command.js";
import { println } from "./io.js";

const NAME = "invoke";
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** The task ids in a producer's answer: every UUID in it, in order, once each. */
export function taskIdsIn(payload: unknown): string[] {
  return [...new Set(JSON.stringify(payload ?? null).match(UUID) ?? [])];
}

/**
 * `celeriac invoke <function> [json]`: invokes a deployed producer function (on
 * LocalStack through `AWS_ENDPOINT_URL`, or in AWS) and prints what it returned and the
 * task ids in it, ready for `celeriac result <id> --wait`.
 */
export const invoke: Command = {
  name: NAME,
  summary: "Invoke a deployed producer function and print the task ids it returned.",
  usage: "invoke <function> [json-payload]",
  details: [
    "<function>      the function's name or ARN (see the stack's outputs)",
    "[json-payload]  the event, as JSON (default {})",
  ],
  async run(argv, io) {
    const { positionals } = parseCommandArgs(NAME, argv, {});
    const [fn, payloadText] = expectPositionals(NAME, positionals, ["function"], ["json-payload"]);
    const payload = payloadText === undefined ? {} : parseJsonArg(NAME, "the payload", payloadText);
    const result = await invokeFunction(fn, payload);
    if (result.functionError) {
      println(io.err, `${fn} failed (${result.functionError}): ${JSON.stringify(result.payload)}`);
      return 1;
    }
    println(io.out, JSON.stringify(result.payload, null, 2));
    const ids = taskIdsIn(result.payload);
    for (const id of ids) println(io.out, `task ${id}`);
    if (ids.length > 0) {
      println(io.out, `follow one with: celeriac result ${ids[0]} --wait -A <module>`);
    }
    return 0;
  },
};
