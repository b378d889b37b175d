import type { AddressInfo } from "node:net";
import dynalite from "dynalite";

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

/**
 * Starts dynalite in this process on 127.0.0.1 with an OS-chosen port and an in-memory
 * store. Tables become ACTIVE at once (`createTableMs: 0`).
 *
 * @example
 * const ddb = await startDynalite();
 * const client = new DynamoDBClient({ endpoint: ddb.endpoint, ...dynaliteClientConfig });
 * // ...
 * client.destroy();
 * await ddb.close();
 */
export async function startDynalite(): Promise<DynaliteServer> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
