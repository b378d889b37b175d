/**
 * The cold-start bench's baseline: the least a Celeriac worker could be, a handler that
 * holds one SQS and one DynamoDB client of the same SDK (bundled the same way). The
 * workers' import times are given as a ratio of this one's, measured in the same run.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";

const sqs = new SQSClient({});
const dynamodb = new DynamoDBClient({});

export const handler = async (): Promise<{ clients: string[] }> => ({
  clients: [sqs.config.serviceId, dynamodb.config.serviceId],
});
