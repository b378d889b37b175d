import { call } from "./call.js";
import type { Command } from "./command.js";
import { DLQ_COMMANDS } from "./dlq.js";
import { graph } from "./graph.js";
import { inspectRegistered } from "./inspect.js";
import { invoke } from "./invoke.js";
import { localServe } from "./local-serve.js";
import { localUp } from "./local-up.js";
import { purge } from "./purge.js";
import { result } from "./result.js";
import { worker } from "./worker.js";

/** Every `celeriac` command, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [
  worker,
  call,
  result,
  inspectRegistered,
  purge,
  graph,
  localUp,
  localServe,
  invoke,
  ...DLQ_COMMANDS,
];
