/**
 * The emulators (fauxqs + dynalite on 127.0.0.1) in a process of their own, for the
 * throughput and latency tables: prints one JSON line with the endpoints, then serves
 * until its stdin closes (the parent exits or says so). See `emulator-process.ts`.
 */
import { startLocalAws } from "../runtime/local/local-aws.js";

const aws = await startLocalAws();
process.stdout.write(
  `${JSON.stringify({ sqs: aws.sqsEndpoint, dynamodb: aws.dynamodbEndpoint })}\n`,
);
process.stdin.resume();
process.stdin.on("end", () => {
  void aws.close().finally(() => process.exit(0));
});
