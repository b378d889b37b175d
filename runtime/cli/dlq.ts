import {
  type DeadLetterQueue,
  type DeadLetterQueues,
  deadLetterQueuesOf,
  MissingDeadLetterQueueError,
  type RedriveMethod,
} from "../adapters/sqs/index.js";
import type { Celery } from "../app/celery.js";
import {
  APP_OPTION,
  expectPositionals,
  parseCommandArgs,
  parseInteger,
  parseSeconds,
  requireApp,
} from "./args.js";
import { confirmDeletion } from "./confirm.js";
import type { Command } from "./command.js";
import {
  type DeadLetterRow,
  formatDeadLetter,
  formatDeadLetterTable,
  formatRedrive,
} from "./dlq-format.js";
import { type CliIo, println } from "./io.js";
import { CliUsageError } from "./usage-error.js";
import { withApp } from "./with-app.js";

const APP_DETAIL = "-A, --app <module>    the module that exports the app";
const QUEUE_OPTION = { ...APP_OPTION, queue: { type: "string", short: "Q" } } as const;

/** What a `dlq` command works with once its app is loaded. */
interface DlqContext {
  app: Celery;
  dlqs: DeadLetterQueues;
  /** Finds a routing key's dead-letter queue, with errors that say what to do. */
  locate(routingKey: string): Promise<DeadLetterQueue>;
}

/**
 * `celeriac dlq list -A <module> [-Q key]`: each dead-letter queue of the app (or of one
 * routing key) and how many messages it holds, visible and in flight.
 */
export const dlqList: Command = {
  name: "dlq list",
  summary: "Show the app's dead-letter queues and how many messages each holds.",
  usage: "dlq list -A <module> [-Q <routing key>]",
  details: [APP_DETAIL, "-Q, --queue <key>     only this routing key's (default: all the app's)"],
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(this.name, argv, QUEUE_OPTION);
    expectPositionals(this.name, positionals, []);
    const spec = requireApp(this.name, values.app);
    return withDeadLetters(this.name, io, spec, async ({ app, dlqs, locate }) => {
      const keys = values.queue === undefined ? app.queues : [values.queue];
      const rows: DeadLetterRow[] = [];
      for (const key of keys) {
        const dlq = await locate(key);
        rows.push({ routingKey: key, queueName: dlq.name, counts: await dlqs.counts(dlq) });
      }
      for (const line of formatDeadLetterTable(rows)) println(io.out, line);
      return 0;
    });
  },
};

/**
 * `celeriac dlq show -A <module> -Q key [-n N]`: prints up to N dead letters and leaves
 * them in the queue, visible again at once.
 */
export const dlqShow: Command = {
  name: "dlq show",
  summary: "Print dead letters of a routing key without removing them.",
  usage: "dlq show -A <module> -Q <routing key> [-n 10]",
  details: [
    APP_DETAIL,
    "-Q, --queue <key>     the routing key whose dead letters to show",
    "-n, --number <N>      at most this many (default: 10); each one's receive count grows by 1",
  ],
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(this.name, argv, {
      ...QUEUE_OPTION,
      number: { type: "string", short: "n" },
    });
    expectPositionals(this.name, positionals, []);
    const spec = requireApp(this.name, values.app);
    const key = requireQueue(this.name, values.queue);
    const max = values.number === undefined ? 10 : parseInteger(this.name, "-n", values.number);
    return withDeadLetters(this.name, io, spec, async ({ dlqs, locate }) => {
      const dlq = await locate(key);
      const { letters, notReleased } = await dlqs.peek(dlq, max);
      if (letters.length === 0) {
        println(io.out, `No dead letters in ${dlq.name}.`);
        return 0;
      }
      const noun = letters.length === 1 ? "dead letter" : "dead letters";
      println(io.out, `${letters.length} ${noun} in ${dlq.name} (left in the queue):`);
      letters.forEach((letter, i) => {
        println(io.out);
        for (const line of formatDeadLetter(letter, i + 1)) println(io.out, line);
      });
      if (notReleased > 0) {
        println(io.err, `${notReleased} could not be released now; they are visible within 30 s.`);
      }
      return 0;
    });
  },
};

const METHODS = ["auto", "move-task", "copy"] as const;

/**
 * `celeriac dlq redrive -A <module> -Q key`: moves every dead letter back to its source
 * queue, by SQS's message-move task where the endpoint has it, else by copying.
 */
export const dlqRedrive: Command = {
  name: "dlq redrive",
  summary: "Move a routing key's dead letters back to its queue.",
  usage: "dlq redrive -A <module> -Q <routing key> [--method auto|move-task|copy]",
  details: [
    APP_DETAIL,
    "-Q, --queue <key>     the routing key whose dead letters to move back",
    "--method <how>        move-task: SQS's StartMessageMoveTask; copy: receive, send, delete;",
    "                      auto (default): move-task, or copy where the endpoint lacks it",
    "--timeout <seconds>   how long to wait for a move task to complete (default: 300)",
  ],
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(this.name, argv, {
      ...QUEUE_OPTION,
      method: { type: "string" },
      timeout: { type: "string" },
    });
    expectPositionals(this.name, positionals, []);
    const spec = requireApp(this.name, values.app);
    const key = requireQueue(this.name, values.queue);
    const method = values.method ?? "auto";
    if (!isMethod(method)) {
      throw new CliUsageError(
        `--method must be one of ${METHODS.join(", ")}, got '${method}'.`,
        this.name,
      );
    }
    const timeoutSeconds =
      values.timeout === undefined
        ? undefined
        : parseSeconds(this.name, "--timeout", values.timeout);
    return withDeadLetters(this.name, io, spec, async ({ dlqs, locate }) => {
      const dlq = await locate(key);
      const result = await dlqs.redrive(dlq, {
        method,
        ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }),
      });
      println(io.out, formatRedrive(result, dlq.name, dlq.source.name));
      return 0;
    });
  },
};

/**
 * `celeriac dlq purge -A <module> -Q key [-f]`: deletes every dead letter of a routing
 * key. It asks first on a terminal, unless `-f`; with no terminal and no `-f` it refuses.
 */
export const dlqPurge: Command = {
  name: "dlq purge",
  summary: "Delete every dead letter of a routing key.",
  usage: "dlq purge -A <module> -Q <routing key> [-f]",
  details: [
    APP_DETAIL,
    "-Q, --queue <key>     the routing key whose dead letters to delete",
    "-f, --force           do not ask (needed when there is no terminal to ask on)",
  ],
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(this.name, argv, {
      ...QUEUE_OPTION,
      force: { type: "boolean", short: "f" },
    });
    expectPositionals(this.name, positionals, []);
    const spec = requireApp(this.name, values.app);
    const key = requireQueue(this.name, values.queue);
    return withDeadLetters(this.name, io, spec, async ({ dlqs, locate }) => {
      const dlq = await locate(key);
      if (!values.force && !(await confirmPurge(this.name, io, dlq.name))) {
        println(io.out, "Nothing deleted.");
        return 0;
      }
      const count = await dlqs.purge(dlq);
      println(io.out, `Purged ${count} ${count === 1 ? "message" : "messages"} from ${dlq.name}.`);
      return 0;
    });
  },
};

/** Every `dlq` command, in the order `--help` lists them. */
export const DLQ_COMMANDS: readonly Command[] = [dlqList, dlqShow, dlqRedrive, dlqPurge];

/** Asks as Celery's purge does; with no terminal to ask on, refuses. */
function confirmPurge(command: string, io: CliIo, queueName: string): Promise<boolean> {
  return confirmDeletion(io, {
    command,
    what: `the dead letters of ${queueName}`,
    warning: `This will delete every message in dead-letter queue ${queueName}.`,
    question: "Are you sure you want to delete them",
  });
}

/** Loads the app, checks that its broker has dead-letter queues, and runs `work`. */
function withDeadLetters(
  command: string,
  io: CliIo,
  spec: string,
  work: (context: DlqContext) => Promise<number>,
): Promise<number> {
  return withApp(io, spec, async (app) => {
    const dlqs = await deadLetterQueuesOf(app.broker);
    if (!dlqs) {
      throw new CliUsageError(
        `app '${app.name}' uses the broker ${app.broker.description}, which has no dead-letter queues; the dlq commands need sqs://.`,
        command,
      );
    }
    const locate = async (key: string) => {
      if (!app.queues.includes(key)) {
        throw new CliUsageError(
          `app '${app.name}' has no routing key '${key}'; its routing keys are ${app.queues.join(", ")}.`,
          command,
        );
      }
      try {
        return await dlqs.locate(key);
      } catch (error) {
        if (!(error instanceof MissingDeadLetterQueueError)) throw error;
        throw new MissingDeadLetterQueueError(
          `${error.message} Create it with \`celeriac local up -A ${spec}\` on a local emulator, or \`cdk deploy\` in AWS.`,
          error,
          { cause: error },
        );
      }
    };
    return work({ app, dlqs, locate });
  });
}

function requireQueue(command: string, queue: string | undefined): string {
  if (queue === undefined || queue === "") {
    throw new CliUsageError("the option -Q/--queue <routing key> is required.", command);
  }
  return queue;
}

function isMethod(value: string): value is RedriveMethod | "auto" {
  return (METHODS as readonly string[]).includes(value);
}
