import { ConfigurationError } from "../../errors/usage-errors.js";
import { DynamoDBBackend, type DynamoDBBackendOptions } from "./dynamodb-backend.js";

/** DynamoDB's rule for table names: 3 to 255 of `a-z A-Z 0-9 _ - .`. */
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

/**
 * Reads the table name from a `dynamodb://<table>` URL. Throws a `ConfigurationError`
 * saying what is wrong with any other shape.
 *
 * @example
 * parseDynamoDBUrl("dynamodb://celeriac-results"); // "celeriac-results"
 */
export function parseDynamoDBUrl(url: string): string {
  const expected = "expected dynamodb://<table>, e.g. dynamodb://celeriac-results";
  const match = /^dynamodb:\/\/([^/?#]*)$/.exec(url);
  if (!match) {
    throw new ConfigurationError(`Result backend URL '${url}' is not a DynamoDB URL; ${expected}.`);
  }
  const table = match[1] ?? "";
  if (!TABLE_NAME.test(table)) {
    throw new ConfigurationError(
      `Result backend URL '${url}' names table '${table}'; a DynamoDB table name is 3 to 255 characters ` +
        `of letters, digits, '_', '-' and '.' (${expected}).`,
    );
  }
  return table;
}

/**
 * Builds a `DynamoDBBackend` from a `dynamodb://<table>` URL and the other options.
 *
 * @example
 * const backend = dynamodbBackendFromUrl("dynamodb://celeriac-results", { resultExpires: 86_400 });
 */
export function dynamodbBackendFromUrl(
  url: string,
  options: Omit<DynamoDBBackendOptions, "tableName"> = {},
): DynamoDBBackend {
  return new DynamoDBBackend({ ...options, tableName: parseDynamoDBUrl(url) });
}
