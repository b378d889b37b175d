import type { SendMessageBatchRequestEntry, SQSClient } from "@aws-sdk/client-sqs";
import { type FaultLog, taskIdOfBody } from "./fault-log.js";
import { hit, type Random } from "./random.js";

/** Rates (0 to 1) of the faults {@link injectSqsFaults} makes, per SendMessage(Batch) call. */
export interface SqsFaultRates {
  /** The request is sent twice (two identical requests, as at-least-once delivery may). */
  duplicate?: number;
  /** The call fails whole before anything is sent, with a 500 InternalFailure. */
  failWhole?: number;
  /** A SendMessageBatch sends only some entries and reports the others in `Failed`. */
  failPart?: number;
}

type Entry = SendMessageBatchRequestEntry;
interface SendInput {
  QueueUrl: string;
  MessageBody?: string;
  Entries?: Entry[];
}
interface BatchOutput {
  Successful?: unknown[];
  Failed?: { Id?: string; SenderFault?: boolean; Code?: string; Message?: string }[];
}

/** An error shaped like the SDK's for an SQS 500: retryable, the server's fault. */
export function sqsServerError(): Error {
  return Object.assign(new Error("We encountered an internal error. Please try again."), {
    name: "InternalFailure",
    $fault: "server",
    $metadata: { httpStatusCode: 500, attempts: 1 },
  });
}

/**
 * Adds middleware to `client` that, per SendMessage or SendMessageBatch call, with the
 * given rates and draws from `random`: sends the request twice, fails it whole, or (for
 * batches of more than one entry) sends only some entries and answers with the others in
 * `Failed` with `SenderFault: false`, as SQS does when it could not take them. Each fault
 * is noted in `log` with the task ids of the messages it touched.
 */
export function injectSqsFaults(
  client: SQSClient,
  rates: SqsFaultRates,
  random: Random,
  log: FaultLog,
): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName;
      if (command !== "SendMessageCommand" && command !== "SendMessageBatchCommand")
        return next(args);
      const input = args.input as SendInput;
      const entries = input.Entries ?? [];
      const ids = (
        command === "SendMessageCommand" ? [input.MessageBody] : entries.map((e) => e.MessageBody)
      )
        .map(taskIdOfBody)
        .filter((id): id is string => id !== undefined);
      if (hit(random, rates.failWhole)) {
        log.fault("send-failed", ids);
        throw sqsServerError();
      }
      if (
        command === "SendMessageBatchCommand" &&
        entries.length > 1 &&
        hit(random, rates.failPart)
      ) {
        // keep at least one entry, fail at least one
        const failCount = 1 + Math.floor(random() * (entries.length - 1));
        const failed = entries.slice(entries.length - failCount);
        const kept = entries.slice(0, entries.length - failCount);
        log.fault(
          "send-partial",
          failed
            .map((e) => taskIdOfBody(e.MessageBody))
            .filter((id): id is string => id !== undefined),
        );
        const out = await next({ ...args, input: { ...input, Entries: kept } });
        const output = out.output as BatchOutput;
        output.Failed = [
          ...(output.Failed ?? []),
          ...failed.map((e) => ({
            Id: e.Id,
            SenderFault: false,
            Code: "InternalError",
            Message: "injected: the entry was not sent",
          })),
        ];
        return out;
      }
      if (hit(random, rates.duplicate)) {
        log.fault("duplicate-send", []);
        const [first] = await Promise.all([next(args), next(args)]);
        return first;
      }
      return next(args);
    },
    { step: "initialize", name: "celeriacTestSqsFaults" },
  );
}
