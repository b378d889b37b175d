import { randomUUID } from "node:crypto";
import { DeleteQueueCommand } from "@aws-sdk/client-sqs";
import { SqsBroker } from "../../runtime/adapters/sqs/index.js";
import type { BrokerFactory } from "../conformance/broker.suite.js";
import { emulatorSqsClient } from "./emulators.js";

/**
 * A broker-conformance factory for `SqsBroker` at `endpoint`: each test gets its own
 * client and app name; its queues (each with a DLQ) are created by `ensureQueues` and
 * deleted afterwards.
 */
export function sqsBrokerFactory(endpoint: string): BrokerFactory {
  return ({ visibilityTimeout }) => {
    const client = emulatorSqsClient(endpoint);
    const broker = new SqsBroker({
      appName: `c${randomUUID().slice(0, 8)}`,
      client,
      visibilityTimeout,
    });
    const urls: string[] = [];
    return {
      broker,
      createQueue: async (name) => {
        const created = await broker.ensureQueues([name], { visibilityTimeout });
        const url = created[name];
        if (url !== undefined) urls.push(url, `${url}-dlq`);
      },
      dispose: async () => {
        await Promise.all(
          urls.map((QueueUrl) => client.send(new DeleteQueueCommand({ QueueUrl })).catch(() => {})),
        );
        client.destroy();
      },
    };
  };
}
