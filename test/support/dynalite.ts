import { startLocalAws } from "../../runtime/local/local-aws.js";

/** A running in-process dynalite server. */
export interface DynaliteServer {
  /** `http://127.0.0.1:<port>`, for a DynamoDB client's `endpoint`. */
  endpoint: string;
  /** Stops the server and drops its in-memory store. */
  close(): Promise<void>;
}

/** Credentials and region that dynalite accepts (any values pass its checks). */
export const dynaliteClientConfig = {
  region: "us-east-1",
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
} as const;

/** Starts the local emulators and hands out the DynamoDB one (runtime/local starts both). */
export async function startDynalite(): Promise<DynaliteServer> {
  const aws = await startLocalAws();
  return { endpoint: aws.dynamodbEndpoint, close: () => aws.close() };
}
