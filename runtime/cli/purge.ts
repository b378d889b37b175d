import { APP_OPTION, expectPositionals, parseCommandArgs, requireApp, splitList } from "./args.js";
import type { Command } from "./command.js";
import { confirmDeletion } from "./confirm.js";
import { println } from "./io.js";
import { CliUsageError } from "./usage-error.js";
import { withApp } from "./with-app.js";

const NAME = "purge";

/**
 * `celeriac purge -A <module> [-Q queues] [-f]`: deletes every message waiting in the
 * app's queues (all of them, or those given with `-Q`), delayed ones included. As
 * Celery's does, it asks first on a terminal unless `-f`; with no terminal and no `-f` it
 * refuses.
 */
export const purge: Command = {
  name: NAME,
  summary: "Delete every message waiting in the app's queues.",
  usage: "purge -A <module> [-Q q1,q2] [-f]",
  details: [
    "-A, --app <module>    the module that exports the app",
    "-Q, --queues <q1,q2>  only these queues (routing keys; default: all the app's queues)",
    "-f, --force           do not ask (needed when there is no terminal to ask on)",
  ],
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(NAME, argv, {
      ...APP_OPTION,
      queues: { type: "string", short: "Q", multiple: true },
      force: { type: "boolean", short: "f" },
    });
    expectPositionals(NAME, positionals, []);
    const spec = requireApp(NAME, values.app);
    const wanted = splitList(values.queues);
    return withApp(io, spec, async (app) => {
      const queues = wanted ?? app.queues;
      const unknown = queues.filter((q) => !app.queues.includes(q));
      if (unknown.length > 0) {
        throw new CliUsageError(
          `app '${app.name}' has no queue ${unknown.join(", ")}; its queues are ${app.queues.join(", ")}.`,
          NAME,
        );
      }
      const confirmed =
        values.force ||
        (await confirmDeletion(io, {
          command: NAME,
          what: `every message waiting in ${queues.join(", ")}`,
          warning: `This will remove all tasks from ${queues.length === 1 ? "queue" : "queues"}: ${queues.join(", ")} (${app.broker.description}).`,
          question: "Are you sure you want to delete all tasks",
        }));
      if (!confirmed) {
        println(io.out, "Nothing deleted.");
        return 0;
      }
      for (const queue of queues) {
        const count = await app.broker.purge(queue);
        println(
          io.out,
          count === undefined
            ? `Purged ${queue} (the broker does not report how many messages).`
            : `Purged ${count} ${count === 1 ? "message" : "messages"} from ${queue}.`,
        );
      }
      return 0;
    });
  },
};
