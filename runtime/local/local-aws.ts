import type { AddressInfo } from "node:net";
import type * as Dynalite from "dynalite";
import type * as Fauxqs from "fauxqs";
import { ConfigurationError } from "../errors/usage-errors.js";

/** SQS and DynamoDB emulators running in this process on 127.0.0.1. */
export interface LocalAws {
  sqsEndpoint: string;
  dynamodbEndpoint: string;
  /** The environment that points the AWS SDK's standard chain at them. */
  env: Record<string, string>;
  /** Stops both; their data is gone. */
  close(): Promise<void>;
}

/** Ports to listen on; 0 (the default) picks free ones. */
export interface LocalAwsOptions {
  sqsPort?: number;
  dynamodbPort?: number;
}

/**
 * Starts the local AWS of Celeriac's "no servers" story: `fauxqs` for SQS and
 * `dynalite` for DynamoDB, in this process, bound to 127.0.0.1 only (fauxqs's own
 * `startFauxqs()` binds every interface, so it is not used). Both are loaded only
 * here, so an app that never starts them does not need them installed
 * (`npm install -D fauxqs@1.9.2 dynalite@4.0.0`).
 *
 * @example
 * const aws = await startLocalAws();
 * Object.assign(process.env, aws.env);
 */
export async function startLocalAws(options: LocalAwsOptions = {}): Promise<LocalAws> {
  const fauxqs = await importOptional<typeof Fauxqs>("fauxqs");
  const { default: dynalite } = await importOptional<typeof Dynalite>("dynalite");
  const sqs = fauxqs.buildApp({ logger: false });
  const sqsEndpoint = await sqs.listen({ host: "127.0.0.1", port: options.sqsPort ?? 0 });
  const ddb = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    ddb.once("error", reject);
    ddb.listen(options.dynamodbPort ?? 0, "127.0.0.1", () => {
      ddb.off("error", reject);
      resolve();
    });
  });
  const dynamodbEndpoint = `http://127.0.0.1:${(ddb.address() as AddressInfo).port}`;
  return {
    sqsEndpoint,
    dynamodbEndpoint,
    env: {
      AWS_ENDPOINT_URL_SQS: sqsEndpoint,
      AWS_ENDPOINT_URL_DYNAMODB: dynamodbEndpoint,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
    },
    close: async () => {
      await sqs.close();
      ddb.closeAllConnections();
      await new Promise<void>((resolve) => ddb.close(() => resolve()));
    },
  };
}

async function importOptional<T>(name: string): Promise<T> {
  try {
    return (await import(name)) as T;
  } catch (error) {
    throw new ConfigurationError(
      `The local AWS emulators need the package '${name}' (npm install -D fauxqs@1.9.2 dynalite@4.0.0): ${(error as Error).message}`,
    );
  }
}
