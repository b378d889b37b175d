import type { Transports } from "../app/transports.js";
import { parseDynamoDBUrlParts } from "./dynamodb/dynamodb-url.js";
import { LazyDynamoDBBackend } from "./dynamodb/lazy-dynamodb-backend.js";
import { LazySqsBroker } from "./sqs/lazy-sqs-broker.js";
import { checkSqsUrl } from "./sqs/sqs-url.js";

/**
 * `sqs://` and `dynamodb://<table>` as aws-transports.ts makes them, but loading the AWS
 * SDK at the first request rather than with the package: what Node gets for
 * `#aws-transports` (see runtime/index.ts). The URL and options are checked when the app
 * is made, as there.
 */
export const awsTransports: Transports = {
  brokers: {
    sqs: (url, options) => {
      checkSqsUrl(url);
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
