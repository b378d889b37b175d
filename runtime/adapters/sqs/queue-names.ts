import { createHash } from "node:crypto";
import { ConfigurationError } from "../../errors/usage-errors.js";

/** SQS allows 80 characters; the dead-letter queue adds `-dlq`, so a queue keeps 76. */
export const MAX_QUEUE_NAME_LENGTH = 76;
/** Appended to a queue's name to name its dead-letter queue. */
export const DLQ_SUFFIX = "-dlq";

const VALID_NAME = /^[A-Za-z0-9_-]+$/;

/**
 * Turns routing keys into SQS queue names: `${appName}-${key}`, made safe for SQS
 * (characters outside `[A-Za-z0-9_-]` become `-`; a name too long is cut and given a
 * short hash so that it stays unique), unless `queueNames` names the queue explicitly.
 * Two routing keys that would share a queue name are refused.
 */
export class QueueNamer {
  private readonly names = new Map<string, string>();
  private readonly owners = new Map<string, string>();

  constructor(
    private readonly appName: string,
    private readonly explicit: Readonly<Record<string, string>> = {},
  ) {
    const problems: string[] = [];
    if (appName.length === 0) problems.push("appName is empty");
    for (const [key, name] of Object.entries(explicit)) {
      if (!VALID_NAME.test(name) || name.length > MAX_QUEUE_NAME_LENGTH) {
        problems.push(
          `queueNames['${key}'] = '${name}' must be 1 to ${MAX_QUEUE_NAME_LENGTH} characters from [A-Za-z0-9_-]`,
        );
      }
    }
    if (problems.length > 0) {
      throw new ConfigurationError(`Invalid SQS broker options: ${problems.join("; ")}.`);
    }
  }

  /** The queue name for `routingKey`. */
  nameOf(routingKey: string): string {
    const known = this.names.get(routingKey);
    if (known !== undefined) return known;
    const name = this.explicit[routingKey] ?? sanitiseQueueName(`${this.appName}-${routingKey}`);
    const owner = this.owners.get(name);
    if (owner !== undefined && owner !== routingKey) {
      throw new ConfigurationError(
        `Routing keys '${owner}' and '${routingKey}' would both use SQS queue '${name}'; name one of them in queueNames.`,
      );
    }
    this.owners.set(name, routingKey);
    this.names.set(routingKey, name);
    return name;
  }
}

/**
 * Makes `raw` a valid SQS queue name of at most {@link MAX_QUEUE_NAME_LENGTH} characters.
 *
 * @example
 * sanitiseQueueName("proj-celery.priority"); // "proj-celery-priority"
 */
export function sanitiseQueueName(raw: string): string {
  const safe = raw.replace(/[^A-Za-z0-9_-]/g, "-");
  if (safe.length <= MAX_QUEUE_NAME_LENGTH) return safe;
  const hash = createHash("sha256").update(raw).digest("hex").slice(0, 8);
  return `${safe.slice(0, MAX_QUEUE_NAME_LENGTH - hash.length - 1)}-${hash}`;
}
