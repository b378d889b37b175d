import type { Broker } from "../ports/broker.js";
import { parseAppOnly } from "./args.js";
import type { Command } from "./command.js";
import { println } from "./io.js";
import { withApp } from "./with-app.js";

const NAME = "local up";

/**
 * `celeriac local up -A <module>`: `app.ensureResources()`, i.e. creates the app's queues
 * (each with a dead-letter queue) and its results table at the configured endpoint
 * (`AWS_ENDPOINT_URL`, the emulators of `celeriac local serve`, LocalStack, moto), then
 * prints them. Idempotent: running it again changes nothing.
 */
export const localUp: Command = {
  name: NAME,
  summary: "Create the app's queues and results table at the local endpoint (idempotent).",
  usage: "local up -A <module>",
  details: ["-A, --app <module>  the module that exports the app"],
  async run(argv, io) {
    return withApp(io, parseAppOnly(NAME, argv), async (app) => {
      await app.ensureResources();
      println(io.out, `App '${app.name}' is ready.`);
      println(io.out, `queues (${app.broker.description}):`);
      for (const queue of app.queues) {
        const name = sqsQueueName(app.broker, queue);
        println(io.out, name ? `  ${queue} -> ${name} (dead letters: ${name}-dlq)` : `  ${queue}`);
      }
      println(io.out, `results: ${app.backend.description}`);
      return 0;
    });
  },
};

/** The SQS queue name behind a routing key, when the broker names queues. */
function sqsQueueName(broker: Broker, routingKey: string): string | undefined {
  const named = broker as Broker & { queueName?: unknown };
  return typeof named.queueName === "function"
    ? String(named.queueName.call(broker, routingKey))
    : undefined;
}
