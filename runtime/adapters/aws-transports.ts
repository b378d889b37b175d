import type { Transports } from "../app/transports.js";
import { ConfigurationError } from "../errors/usage-errors.js";
import { parseDynamoDBUrlParts } from "./dynamodb/dynamodb-url.js";
import { LazyDynamoDBBackend } from "./dynamodb/lazy-dynamodb-backend.js";
import { LazySqsBroker } from "./sqs/lazy-sqs-broker.js";

/**
 * `sqs://` (one queue per routing key, named `<app>-<key>`) and `dynamodb://<table>`.
 * Both are checked when the app is made and load the AWS SDK at their first request.
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
      return new LazySqsBroker({
        appName: options.appName,
        ...(options.sqsClient ? { client: options.sqsClient } : {}),
      });
    },
  },
  backends: {
    dynamodb: (url, options) =>
      new LazyDynamoDBBackend({
        ...parseDynamoDBUrlParts(url),
        ...(options.dynamoDBClient ? { client: options.dynamoDBClient } : {}),
        ...(options.resultExpires !== undefined ? { resultExpires: options.resultExpires } : {}),
      }),
  },
};
