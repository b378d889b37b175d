import { ConfigurationError } from "../../errors/usage-errors.js";

/** The environment variable the CDK construct sets: a JSON object, routing key → queue URL. */
export const QUEUE_URLS_ENV = "CELERIAC_QUEUE_URLS";

/**
 * Reads {@link QUEUE_URLS_ENV} from `env`: `{}` when it is unset or empty.
 * @throws ConfigurationError when it is not a JSON object of strings.
 */
export function queueUrlsFromEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const raw = env[QUEUE_URLS_ENV];
  if (raw === undefined || raw.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (cause) {
    throw new ConfigurationError(
      `${QUEUE_URLS_ENV} is not valid JSON; it must be an object mapping routing keys to queue URLs, e.g. {"celery":"https://sqs.../app-celery"}.`,
      { cause },
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ConfigurationError(
      `${QUEUE_URLS_ENV} must be a JSON object mapping routing keys to queue URLs.`,
    );
  }
  const urls: Record<string, string> = {};
  for (const [key, url] of Object.entries(parsed)) {
    if (typeof url !== "string" || url === "") {
      throw new ConfigurationError(`${QUEUE_URLS_ENV}['${key}'] must be a queue URL string.`);
    }
    urls[key] = url;
  }
  return urls;
}
