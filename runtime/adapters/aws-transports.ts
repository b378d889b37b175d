import type { Transports } from "../app/transports.js";
import { ConfigurationError } from "../errors/usage-errors.js";
import { dynamodbBackendFromUrl } from "./dynamodb/from-url.js";
import { SqsBroker } from "./sqs/sqs-broker.js";

/**
 * `sqs://` (one queue per routing key, named `<app>-<key>`) and `dynamodb://<table>`.
 * Clients come from the SDK's standard chain unless the app was given its own.
 */
export const awsTransports: Transports = {
  brokers: {
    sqs: (url, options) => {
      if (url !== "sqs://") {
        throw new ConfigurationError(
          `Broker URL '${url}': use 'sqs://' (queues are found from the app name, CELERIAC_QUEUE_URLS or the endpoint).`,
        );
      }
      return new SqsBroker({
        appName: options.appName,
        ...(options.sqsClient ? { client: options.sqsClient } : {}),
      });
    },
  },
  backends: {
    dynamodb: (url, options) =>
      dynamodbBackendFromUrl(url, {
        ...(options.dynamoDBClient ? { client: options.dynamoDBClient } : {}),
        ...(options.resultExpires !== undefined ? { resultExpires: options.resultExpires } : {}),
      }),
  },
};
