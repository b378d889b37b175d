import type { Transports } from "../app/transports.js";
import { dynamodbBackendFromUrl } from "./dynamodb/from-url.js";
import { SqsBroker } from "./sqs/sqs-broker.js";
import { checkSqsUrl } from "./sqs/sqs-url.js";

/**
 * `sqs://` (one queue per routing key, named `<app>-<key>`) and `dynamodb://<table>`,
 * with the AWS SDK imported by this module: what a bundle gets for `#aws-transports`
 * (see runtime/index.ts; Node gets aws-transports-on-demand.ts). Clients come from the
 * SDK's standard chain unless the app was given its own.
 */
export const awsTransports: Transports = {
  brokers: {
    sqs: (url, options) => {
      checkSqsUrl(url);
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
