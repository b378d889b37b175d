import { startLocalAws } from "../local/local-aws.js";
import { expectPositionals, parseCommandArgs, parseInteger } from "./args.js";
import type { Command } from "./command.js";
import { println } from "./io.js";

const NAME = "local serve";

/**
 * `celeriac local serve [--sqs-port N] [--dynamodb-port N]`: runs the in-process SQS
 * (fauxqs) and DynamoDB (dynalite) emulators on 127.0.0.1 until SIGINT or SIGTERM, and
 * prints the `export` lines that point the AWS SDK at them. Their data lives in memory
 * and is gone when they stop.
 */
export const localServe: Command = {
  name: NAME,
  summary: "Run local SQS and DynamoDB emulators on 127.0.0.1 and print the env to export.",
  usage: "local serve [--sqs-port N] [--dynamodb-port N] [--table name]",
  details: [
    "--sqs-port <N>       the SQS port (default: a free one)",
    "--dynamodb-port <N>  the DynamoDB port (default: a free one)",
    "--table <name>       the table name in the CELERIAC_BACKEND hint (default: celeriac-results)",
    "Stops on Ctrl-C (SIGINT) or SIGTERM; the emulators keep their data in memory only.",
  ],
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(NAME, argv, {
      "sqs-port": { type: "string" },
      "dynamodb-port": { type: "string" },
      table: { type: "string" },
    });
    expectPositionals(NAME, positionals, []);
    const port = (option: "sqs-port" | "dynamodb-port") => {
      const text = values[option];
      return text === undefined ? 0 : parseInteger(NAME, `--${option}`, text, 0);
    };
    // Listen for Ctrl-C and SIGTERM from the start: a signal during start-up stops cleanly too.
    const shutdown = io.waitForShutdown();
    const aws = await startLocalAws({
      sqsPort: port("sqs-port"),
      dynamodbPort: port("dynamodb-port"),
    });
    try {
      println(io.out, `# Local AWS: SQS ${aws.sqsEndpoint}, DynamoDB ${aws.dynamodbEndpoint}`);
      for (const [key, value] of Object.entries(aws.env)) println(io.out, `export ${key}=${value}`);
      println(
        io.out,
        "# For an app that takes its transports from the environment (as examples/proj does):",
      );
      println(io.out, "#   export CELERIAC_BROKER=sqs://");
      println(
        io.out,
        `#   export CELERIAC_BACKEND=dynamodb://${values.table ?? "celeriac-results"}`,
      );
      println(io.out, "# then: celeriac local up -A <module>. Ctrl-C stops the emulators.");
      const signal = await shutdown;
      println(io.err, `Received ${signal}; stopping the emulators.`);
    } finally {
      await aws.close();
    }
    return 0;
  },
};
