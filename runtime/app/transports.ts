import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { ConfigurationError } from "../errors/usage-errors.js";
import type { Broker } from "../ports/broker.js";
import type { ResultBackend } from "../ports/result-backend.js";

/** What a transport factory is given besides the URL. */
export interface TransportOptions {
  appName: string;
  /** Seconds results live (DynamoDB TTL). */
  resultExpires: number | undefined;
  /** An AWS SDK v3 SQSClient to use as given. */
  sqsClient: SQSClient | undefined;
  /** An AWS SDK v3 DynamoDBClient to use as given. */
  dynamoDBClient: DynamoDBClient | undefined;
}

export type BrokerFactory = (url: string, options: TransportOptions) => Broker;
export type BackendFactory = (url: string, options: TransportOptions) => ResultBackend;

/** Factories by URL scheme (`sqs` for `sqs://`): what a set of adapters offers an app. */
export interface Transports {
  brokers: Readonly<Record<string, BrokerFactory>>;
  backends: Readonly<Record<string, BackendFactory>>;
}

const brokers = new Map<string, BrokerFactory>();
const backends = new Map<string, BackendFactory>();

/**
 * Makes every scheme of `transports` usable in `broker` and `backend` URLs. The package
 * entry (`runtime/index.ts`) calls it for `memory://`, `sqs://` and `dynamodb://`.
 */
export function useTransports(transports: Transports): void {
  for (const [scheme, factory] of Object.entries(transports.brokers)) brokers.set(scheme, factory);
  for (const [scheme, factory] of Object.entries(transports.backends))
    backends.set(scheme, factory);
}

/** Makes `scheme://` URLs usable as `broker` (for a transport of your own). */
export function registerBroker(scheme: string, factory: BrokerFactory): void {
  brokers.set(scheme, factory);
}

/** Makes `scheme://` URLs usable as `backend` (for a transport of your own). */
export function registerBackend(scheme: string, factory: BackendFactory): void {
  backends.set(scheme, factory);
}

function schemeOf(url: string, what: string): string {
  const match = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url);
  if (!match)
    throw new ConfigurationError(`${what} '${url}' is not a URL: expected e.g. 'memory://'.`);
  return match[1]!.toLowerCase();
}

export function createBroker(url: string, options: TransportOptions): Broker {
  const factory = brokers.get(schemeOf(url, "broker"));
  if (!factory) {
    throw new ConfigurationError(
      `Unknown broker '${url}': known schemes are ${[...brokers.keys()].map((s) => `${s}://`).join(", ")}.`,
    );
  }
  return factory(url, options);
}

export function createBackend(url: string, options: TransportOptions): ResultBackend {
  const factory = backends.get(schemeOf(url, "backend"));
  if (!factory) {
    throw new ConfigurationError(
      `Unknown result backend '${url}': known schemes are ${[...backends.keys()].map((s) => `${s}://`).join(", ")}.`,
    );
  }
  return factory(url, options);
}
