import { GetQueueUrlCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { UnknownQueueError } from "../../errors/usage-errors.js";
import { isQueueMissing } from "./aws-errors.js";
import type { QueueNamer } from "./queue-names.js";

export { QUEUE_URLS_ENV, queueUrlsFromEnv } from "./queue-urls-env.js";

/**
 * Finds the URL of each routing key's queue: from the URLs configured (options, then
 * the environment), else once by name with `GetQueueUrl`, cached. Concurrent lookups of
 * one queue share a request; a failed lookup is not cached, so it is tried again later.
 */
export class QueueUrlResolver {
  private readonly cache = new Map<string, Promise<string>>();

  constructor(
    private readonly client: SQSClient,
    private readonly namer: QueueNamer,
    configured: Readonly<Record<string, string>>,
  ) {
    for (const [key, url] of Object.entries(configured)) this.cache.set(key, Promise.resolve(url));
  }

  /** The URL of `routingKey`'s queue. @throws UnknownQueueError when the queue does not exist. */
  urlOf(routingKey: string): Promise<string> {
    const cached = this.cache.get(routingKey);
    if (cached !== undefined) return cached;
    const lookup = this.lookUp(routingKey);
    this.cache.set(routingKey, lookup);
    lookup.then(
      () => undefined,
      () => {
        if (this.cache.get(routingKey) === lookup) this.cache.delete(routingKey);
      },
    );
    return lookup;
  }

  /** Records a URL learnt elsewhere (e.g. from CreateQueue). */
  remember(routingKey: string, url: string): void {
    this.cache.set(routingKey, Promise.resolve(url));
  }

  /** Forgets a URL that turned out stale, so that the next call looks it up again. */
  forget(routingKey: string): void {
    this.cache.delete(routingKey);
  }

  /** The error for a routing key whose queue does not exist. */
  unknownQueue(routingKey: string, cause?: unknown): UnknownQueueError {
    const name = this.namer.nameOf(routingKey);
    return new UnknownQueueError(
      `SQS queue '${name}' for routing key '${routingKey}' does not exist. Create it with 'celeriac local up -A <module>' on an emulator, or deploy the CDK stack in AWS.`,
      { cause },
    );
  }

  private async lookUp(routingKey: string): Promise<string> {
    const QueueName = this.namer.nameOf(routingKey);
    try {
      const out = await this.client.send(new GetQueueUrlCommand({ QueueName }));
      if (!out.QueueUrl) throw this.unknownQueue(routingKey);
      return out.QueueUrl;
    } catch (error) {
      if (isQueueMissing(error)) throw this.unknownQueue(routingKey, error);
      throw error;
    }
  }
}
