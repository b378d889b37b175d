import { DynamoDBBackend, type DynamoDBBackendOptions } from "./dynamodb-backend.js";
import { parseDynamoDBUrlParts } from "./dynamodb-url.js";

export { parseDynamoDBUrl, parseDynamoDBUrlParts } from "./dynamodb-url.js";

/**
 * Builds a `DynamoDBBackend` from a `dynamodb://<table>[?layout=celery]` URL and the
 * other options.
 *
 * @example
 * const backend = dynamodbBackendFromUrl("dynamodb://celeriac-results", { resultExpires: 86_400 });
 */
export function dynamodbBackendFromUrl(
  url: string,
  options: Omit<DynamoDBBackendOptions, "tableName"> = {},
): DynamoDBBackend {
  const { tableName, layout } = parseDynamoDBUrlParts(url);
  return new DynamoDBBackend({ layout, ...options, tableName });
}
