import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import { inject } from "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** The run's in-process fauxqs (SQS) and dynalite (DynamoDB), from global-setup.ts. */
    localAws: { sqsEndpoint: string; dynamodbEndpoint: string };
    /** The run's moto_server; absent when moto_server is not on the PATH. */
    motoEndpoint?: string;
  }
}

/** One local AWS to run tests against: where its SQS and its DynamoDB listen. */
export interface AwsTarget {
  /** For test titles: "fauxqs + dynalite" or "moto". */
  name: string;
  sqsEndpoint: string;
  dynamodbEndpoint: string;
}

/** Credentials the emulators accept (any do). */
export const EMULATOR_CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" } as const;
export const EMULATOR_REGION = "us-east-1";

/** The in-process fauxqs + dynalite started once for the run. */
export function localAwsTarget(): AwsTarget {
  const { sqsEndpoint, dynamodbEndpoint } = inject("localAws");
  return { name: "fauxqs + dynalite", sqsEndpoint, dynamodbEndpoint };
}

/** The run's moto_server, or undefined when it is not on the PATH. */
export function motoTarget(): AwsTarget | undefined {
  const endpoint = inject("motoEndpoint");
  return endpoint === undefined
    ? undefined
    : { name: "moto", sqsEndpoint: endpoint, dynamodbEndpoint: endpoint };
}

/**
 * Says, once per file, what is skipped because moto_server is missing, and returns
 * whether the moto suites run.
 */
export function motoAvailable(skipped: string): boolean {
  if (motoTarget() !== undefined) return true;
  console.warn(`moto_server not on PATH: skipped ${skipped}.`);
  return false;
}

/** SDK client settings a test may add, such as `{ maxAttempts: 1 }` (the SDK's retries off). */
export interface EmulatorClientOptions {
  maxAttempts?: number;
}

/** An SQS client for `endpoint` that never takes its host from a queue URL. */
export function emulatorSqsClient(
  endpoint: string,
  options: EmulatorClientOptions = {},
): SQSClient {
  return new SQSClient({
    endpoint,
    region: EMULATOR_REGION,
    credentials: EMULATOR_CREDENTIALS,
    useQueueUrlAsEndpoint: false,
    ...options,
  });
}

/** A DynamoDB client for `endpoint`. */
export function emulatorDynamoDBClient(
  endpoint: string,
  options: EmulatorClientOptions = {},
): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: EMULATOR_REGION,
    credentials: EMULATOR_CREDENTIALS,
    ...options,
  });
}

/** Polls `probe` until `done` accepts its value; rejects after `timeoutMs`. */
export async function eventually<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs = 10_000, intervalMs = 100, what = "condition" } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(`${what} not met within ${timeoutMs} ms (last: ${JSON.stringify(value)})`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
