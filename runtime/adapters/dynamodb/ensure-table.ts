import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type TableDescription,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import { ConfigurationError } from "../../errors/usage-errors.js";
import { DynamoDBTableNotFoundError } from "./errors.js";
import { errorName, sleep, type Table, TTL_ATTRIBUTE } from "./table.js";

/** Where `ensureTable` reports what it could not do. */
export interface WarningLogger {
  warn(message: string): void;
}

/** Options of `ensureTable`. */
export interface EnsureTableOptions {
  /** Receives one line when the endpoint cannot enable TTL. @default console */
  logger?: WarningLogger;
  /** How long to wait for a new table to become ACTIVE. @default 120_000 */
  timeoutMs?: number;
}

async function describe(table: Table): Promise<TableDescription | undefined> {
  try {
    const out = await table.send("DescribeTable", () =>
      table.client.send(new DescribeTableCommand({ TableName: table.name })),
    );
    return out.Table;
  } catch (error) {
    if (error instanceof DynamoDBTableNotFoundError) return undefined;
    throw error;
  }
}

async function create(table: Table): Promise<void> {
  try {
    await table.send("CreateTable", () =>
      table.client.send(
        new CreateTableCommand({
          TableName: table.name,
          BillingMode: "PAY_PER_REQUEST",
          AttributeDefinitions: [{ AttributeName: table.keyAttribute, AttributeType: "S" }],
          KeySchema: [{ AttributeName: table.keyAttribute, KeyType: "HASH" }],
        }),
      ),
    );
  } catch (error) {
    // another process created it first: fine, wait for it like for our own
    if (errorName(error) !== "ResourceInUseException") throw error;
  }
}

async function waitActive(table: Table, timeoutMs: number): Promise<TableDescription> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 50; ; delay = Math.min(delay * 2, 1000)) {
    const described = await describe(table);
    if (described?.TableStatus === "ACTIVE") return described;
    if (Date.now() >= deadline) {
      throw table.error(
        `Table '${table.name}' is ${described?.TableStatus ?? "missing"} after ${timeoutMs} ms; expected ACTIVE.`,
        "DescribeTable",
      );
    }
    await sleep(delay);
  }
}

function checkSchema(table: Table, description: TableDescription): void {
  const schema = description.KeySchema ?? [];
  const [only] = schema;
  if (
    schema.length !== 1 ||
    only?.AttributeName !== table.keyAttribute ||
    only.KeyType !== "HASH"
  ) {
    const found = schema.map((k) => `${k.AttributeName} (${k.KeyType})`).join(", ");
    throw new ConfigurationError(
      `Table '${table.name}' has key schema [${found}]; the results table needs exactly a partition key ` +
        `'${table.keyAttribute}' of type S and no sort key. Use another table name.`,
    );
  }
}

async function enableTtl(table: Table, logger: WarningLogger): Promise<void> {
  try {
    const out = await table.send("DescribeTimeToLive", () =>
      table.client.send(new DescribeTimeToLiveCommand({ TableName: table.name })),
    );
    const status = out.TimeToLiveDescription?.TimeToLiveStatus;
    const attribute = out.TimeToLiveDescription?.AttributeName;
    if ((status === "ENABLED" || status === "ENABLING") && attribute === TTL_ATTRIBUTE) return;
    if (status === "ENABLED" || status === "ENABLING" || status === "DISABLING") {
      logger.warn(
        `celeriac: table '${table.name}' has TTL ${status} on '${attribute}', not '${TTL_ATTRIBUTE}'; ` +
          "expired results will not be deleted (reads still ignore them).",
      );
      return;
    }
  } catch (error) {
    // an endpoint without DescribeTimeToLive: try to enable it anyway
    if (errorName(error) !== "UnknownOperationException") throw error;
  }
  try {
    await table.send("UpdateTimeToLive", () =>
      table.client.send(
        new UpdateTimeToLiveCommand({
          TableName: table.name,
          TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
        }),
      ),
    );
  } catch (error) {
    // An endpoint without TTL is a local emulator (dynalite), whose data lives only as long
    // as its process: nothing to warn about, and reads ignore expired results anyway.
    if (errorName(error) !== "UnknownOperationException") throw error;
  }
}

/**
 * Creates the results table if it is missing (on-demand billing, partition key `pk`),
 * waits until it is ACTIVE, checks its key schema, and enables TTL on `ttl`. Safe to call
 * again and from several processes at once. Where the endpoint has no
 * `UpdateTimeToLive` (dynalite, a supported emulator), it goes on quietly.
 */
export async function ensureTable(table: Table, options: EnsureTableOptions = {}): Promise<void> {
  const logger = options.logger ?? console;
  let description = await describe(table);
  if (description === undefined) await create(table);
  if (description?.TableStatus !== "ACTIVE")
    description = await waitActive(table, options.timeoutMs ?? 120_000);
  checkSchema(table, description);
  await enableTtl(table, logger);
}
