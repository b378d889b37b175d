import { startLocalAws } from "../local/local-aws.js";
import { expectPositionals, parseCommandArgs, parseInteger } from "./args.js";
import type { Command } from "./command.js";
import { type CliIo, println } from "./io.js";
import { loadApp } from "./load-app.js";
import { CliUsageError } from "./usage-error.js";

const NAME = "local serve";

/**
 * The ports `local serve` listens on unless told otherwise: the ones ElasticMQ and
 * DynamoDB Local use, so that exports copied once keep working across restarts.
 */
export const DEFAULT_LOCAL_PORTS = { sqs: 9324, dynamodb: 8000 } as const;

/**
 * `celeriac local serve [-A module] [--sqs-port N] [--dynamodb-port N] [--table name]`:
 * runs the in-process SQS (fauxqs) and DynamoDB (dynalite) emulators on 127.0.0.1 until
 * SIGINT or SIGTERM, and prints the `export` lines that point the AWS SDK at them, with
 * `CELERIAC_BROKER` and `CELERIAC_BACKEND` for an app that reads them (the table named
 * after `-A`'s app, or `--table`). Their data lives in memory and is gone when they stop.
 */
export const localServe: Command = {
  name: NAME,
  summary: "Run local SQS and DynamoDB emulators on 127.0.0.1 and print the env to export.",
  usage: "local serve [-A <module>] [--sqs-port N] [--dynamodb-port N] [--table name]",
  details: [
    "-A, --app <module>   the app whose results table CELERIAC_BACKEND names (<app>-results)",
    `--sqs-port <N>       the SQS port (default: ${DEFAULT_LOCAL_PORTS.sqs}; 0 picks a free one)`,
    `--dynamodb-port <N>  the DynamoDB port (default: ${DEFAULT_LOCAL_PORTS.dynamodb}; 0 picks a free one)`,
    "--table <name>       the table CELERIAC_BACKEND names (default: <app>-results with -A)",
    "Stops on Ctrl-C (SIGINT) or SIGTERM; the emulators keep their data in memory only.",
  ],
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(NAME, argv, {
      app: { type: "string", short: "A" },
      "sqs-port": { type: "string" },
      "dynamodb-port": { type: "string" },
      table: { type: "string" },
    });
    expectPositionals(NAME, positionals, []);
    const port = (option: "sqs-port" | "dynamodb-port", fallback: number) => {
      const text = values[option];
      return text === undefined ? fallback : parseInteger(NAME, `--${option}`, text, 0);
    };
    const sqsPort = port("sqs-port", DEFAULT_LOCAL_PORTS.sqs);
    const dynamodbPort = port("dynamodb-port", DEFAULT_LOCAL_PORTS.dynamodb);
    const table = values.table ?? (values.app ? await tableOf(values.app, io) : undefined);
    // Listen for Ctrl-C and SIGTERM from the start: a signal during start-up stops cleanly too.
    const shutdown = io.waitForShutdown();
    const aws = await startLocalAws({ sqsPort, dynamodbPort }).catch((error: unknown) => {
      throw portInUse(error) ?? error;
    });
    try {
      println(io.out, `# Local AWS: SQS ${aws.sqsEndpoint}, DynamoDB ${aws.dynamodbEndpoint}`);
      for (const [key, value] of Object.entries(aws.env)) println(io.out, `export ${key}=${value}`);
      println(io.out, "# For an app that takes its transports from the environment:");
      if (table === undefined) {
        println(io.out, "#   export CELERIAC_BROKER=sqs://");
        println(io.out, "#   export CELERIAC_BACKEND=dynamodb://<app>-results  (or give -A)");
      } else {
        println(io.out, "export CELERIAC_BROKER=sqs://");
        println(io.out, `export CELERIAC_BACKEND=dynamodb://${table}`);
      }
      println(io.out, "# then: celeriac local up -A <module>. Ctrl-C stops the emulators.");
      const signal = await shutdown;
      println(io.err, `Received ${signal}; stopping the emulators.`);
    } finally {
      await aws.close();
    }
    return 0;
  },
};

/** `<app>-results`, the table the construct and `local up` name after the app. */
async function tableOf(spec: string, io: CliIo): Promise<string> {
  const app = await loadApp(spec, io.cwd);
  try {
    return `${app.name}-results`;
  } finally {
    if (io.closeApp) await app.close();
  }
}

/** A usage error naming the flag to change when a port is taken, else undefined. */
function portInUse(error: unknown): CliUsageError | undefined {
  const e = error as { code?: unknown; port?: unknown } | null;
  if (e?.code !== "EADDRINUSE") return undefined;
  return new CliUsageError(
    `port ${String(e.port)} on 127.0.0.1 is in use (another 'local serve'?); stop it, or choose ` +
      "others with --sqs-port and --dynamodb-port (0 picks free ones).",
    NAME,
  );
}
