import { ConfigurationError } from "../../errors/usage-errors.js";
import type { ResultLayout } from "./dynamodb-backend.js";

/** DynamoDB's rule for table names: 3 to 255 of `a-z A-Z 0-9 _ - .`. */
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

const EXPECTED =
  "expected dynamodb://<table>, e.g. dynamodb://celeriac-results (or dynamodb://<table>?layout=celery)";

/**
 * Reads a `dynamodb://<table>` URL, with an optional `?layout=celery` (Celery's own
 * DynamoDB item layout, readable by Python `AsyncResult`s) or `?layout=celeriac`.
 * Throws a `ConfigurationError` saying what is wrong with any other shape.
 *
 * @example
 * parseDynamoDBUrlParts("dynamodb://results?layout=celery"); // { tableName: "results", layout: "celery" }
 */
export function parseDynamoDBUrlParts(url: string): { tableName: string; layout: ResultLayout } {
  const match = /^dynamodb:\/\/([^/?#]*)(?:\?layout=(celery|celeriac))?$/.exec(url);
  if (!match) {
    throw new ConfigurationError(`Result backend URL '${url}' is not a DynamoDB URL; ${EXPECTED}.`);
  }
  const table = match[1] ?? "";
  if (!TABLE_NAME.test(table)) {
    throw new ConfigurationError(
      `Result backend URL '${url}' names table '${table}'; a DynamoDB table name is 3 to 255 characters ` +
        `of letters, digits, '_', '-' and '.' (${EXPECTED}).`,
    );
  }
  return { tableName: table, layout: match[2] === "celery" ? "celery" : "celeriac" };
}

/**
 * Reads the table name from a `dynamodb://<table>` URL (see `parseDynamoDBUrlParts`).
 *
 * @example
 * parseDynamoDBUrl("dynamodb://celeriac-results"); // "celeriac-results"
 */
export function parseDynamoDBUrl(url: string): string {
  return parseDynamoDBUrlParts(url).tableName;
}
