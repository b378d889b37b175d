import { ConfigurationError } from "../../errors/usage-errors.js";

/**
 * Checks an app's broker URL for SQS: only `sqs://`, since the queues are found from the
 * app name, `CELERIAC_QUEUE_URLS` or the endpoint, never from the URL.
 * @throws ConfigurationError naming the URL for any other.
 */
export function checkSqsUrl(url: string): void {
  if (url !== "sqs://") {
    throw new ConfigurationError(
      `Broker URL '${url}': use 'sqs://' (queues are found from the app name, CELERIAC_QUEUE_URLS or the endpoint).`,
    );
  }
}
