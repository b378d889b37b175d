import type { Transports } from "../app/transports.js";
import type { Broker } from "../ports/broker.js";
import type { ResultBackend } from "../ports/result-backend.js";
import { parseDynamoDBUrlParts } from "./dynamodb/dynamodb-url.js";
import type { LazyDynamoDBBackendOptions } from "./dynamodb/lazy-dynamodb-backend.js";
import type { LazySqsBrokerOptions } from "./sqs/lazy-sqs-broker.js";
import { checkSqsUrl } from "./sqs/sqs-url.js";

/** The classes behind `sqs://` and `dynamodb://`: the SDK-loading ones, or those on demand. */
export interface AwsPorts {
  sqs(options: LazySqsBrokerOptions): Broker;
  dynamodb(options: LazyDynamoDBBackendOptions): ResultBackend;
}

/**
 * `sqs://` (one queue per routing key, named `<app>-<key>`) and `dynamodb://<table>`,
 * made by `ports`: the URL rules and the app's options in one place for both sets of
 * transports (aws-transports.ts, aws-transports-on-demand.ts). Clients come from the
 * SDK's standard chain unless the app was given its own.
 */
export function awsTransportTable(ports: AwsPorts): Transports {
  return {
    brokers: {
      sqs: (url, options) => {
        checkSqsUrl(url);
        return ports.sqs({
          appName: options.appName,
          ...(options.sqsClient ? { client: options.sqsClient } : {}),
        });
      },
    },
    backends: {
      dynamodb: (url, options) =>
        ports.dynamodb({
          ...parseDynamoDBUrlParts(url),
          ...(options.dynamoDBClient ? { client: options.dynamoDBClient } : {}),
          ...(options.resultExpires !== undefined ? { resultExpires: options.resultExpires } : {}),
        }),
    },
  };
}
