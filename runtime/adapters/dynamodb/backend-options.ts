import type { ResultLayout } from "./dynamodb-backend.js";
import { DynamoDBBackendError } from "./errors.js";

/**
 * Checks a DynamoDB backend's options that need no request (no SDK): a positive
 * `resultExpires`, a known `layout`. Resolves the layout, `"celeriac"` when none is given.
 * @throws DynamoDBBackendError naming the option, the value and the table.
 */
export function checkBackendOptions(options: {
  tableName: string;
  resultExpires?: number | undefined;
  layout?: ResultLayout | undefined;
}): ResultLayout {
  const { tableName, resultExpires } = options;
  if (resultExpires !== undefined && !(Number.isFinite(resultExpires) && resultExpires > 0)) {
    throw new DynamoDBBackendError(
      `resultExpires is ${resultExpires}; give a positive number of seconds.`,
      { tableName },
    );
  }
  const layout = options.layout ?? "celeriac";
  if (layout !== "celeriac" && layout !== "celery") {
    throw new DynamoDBBackendError(`layout is ${String(layout)}; use "celeriac" or "celery".`, {
      tableName,
    });
  }
  return layout;
}
