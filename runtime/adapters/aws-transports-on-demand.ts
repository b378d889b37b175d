import { awsTransportTable } from "./aws-transport-table.js";
import { LazyDynamoDBBackend } from "./dynamodb/lazy-dynamodb-backend.js";
import { LazySqsBroker } from "./sqs/lazy-sqs-broker.js";

/**
 * `sqs://` and `dynamodb://<table>` as aws-transports.ts makes them, but loading the AWS
 * SDK at the first request rather than with the package: what Node gets for
 * `#aws-transports` (see runtime/index.ts). The URL and options are checked when the app
 * is made, as there.
 */
export const awsTransports = awsTransportTable({
  sqs: (options) => new LazySqsBroker(options),
  dynamodb: (options) => new LazyDynamoDBBackend(options),
});
