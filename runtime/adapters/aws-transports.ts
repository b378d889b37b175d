import { awsTransportTable } from "./aws-transport-table.js";
import { DynamoDBBackend } from "./dynamodb/dynamodb-backend.js";
import { SqsBroker } from "./sqs/sqs-broker.js";

/**
 * `sqs://` and `dynamodb://<table>` with the AWS SDK imported by this module: what a
 * bundle gets for `#aws-transports` (see runtime/index.ts; Node gets
 * aws-transports-on-demand.ts).
 */
export const awsTransports = awsTransportTable({
  sqs: (options) => new SqsBroker(options),
  dynamodb: (options) => new DynamoDBBackend(options),
});
