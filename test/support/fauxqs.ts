import { SQSClient } from "@aws-sdk/client-sqs";
import { startLocalAws } from "../../runtime/local/local-aws.js";

/** An in-process fauxqs (SQS emulator) listening on 127.0.0.1. */
export interface FauxqsServer {
  /** `http://127.0.0.1:PORT`, for an SQS client's `endpoint`. */
  endpoint: string;
  /** Stops the server; long polls in flight end at once. */
  close(): Promise<void>;
}

/** Starts the local emulators and hands out the SQS one (runtime/local starts both). */
export async function startFauxqs(): Promise<FauxqsServer> {
  const aws = await startLocalAws();
  return { endpoint: aws.sqsEndpoint, close: () => aws.close() };
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
