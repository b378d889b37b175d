import { SQSClient } from "@aws-sdk/client-sqs";
import { buildApp } from "fauxqs";

/** An in-process fauxqs (SQS emulator) listening on 127.0.0.1. */
export interface FauxqsServer {
  /** `http://127.0.0.1:PORT`, for an SQS client's `endpoint`. */
  endpoint: string;
  /** Stops the server; long polls in flight end at once. */
  close(): Promise<void>;
}

/**
 * Starts fauxqs in this process on a free port of 127.0.0.1. (`startFauxqs()` is not
 * used because it always binds 0.0.0.0.) Each server has its own queues.
 *
 * @example
 * const sqs = await startFauxqs();
 * const client = new SQSClient({ endpoint: sqs.endpoint, region: "us-east-1", credentials });
 * await sqs.close();
 */
export async function startFauxqs(): Promise<FauxqsServer> {
  const app = buildApp({ logger: false });
  const endpoint = await app.listen({ host: "127.0.0.1", port: 0 });
  return { endpoint, close: () => app.close() };
}

/** Credentials for emulators, which accept any. */
export const TEST_CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" };

/** An SQS client that sends everything to `endpoint` (127.0.0.1). */
export function sqsClientFor(endpoint: string): SQSClient {
  return new SQSClient({ endpoint, region: "us-east-1", credentials: TEST_CREDENTIALS });
}

/**
 * Counts the commands `client` sends, by command name (`SendMessageBatchCommand`, ...),
 * through a middleware at the start of the stack. Retries inside the SDK count once.
 */
export function countCommands(client: SQSClient): Map<string, number> {
  const counts = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? "unknown";
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return next(args);
    },
    { step: "initialize", name: "celeriacCountCommands" },
  );
  return counts;
}
