import type { SQSClient } from "@aws-sdk/client-sqs";

const SENDS = new Set(["SendMessageCommand", "SendMessageBatchCommand"]);

/** What {@link sendEverySendTwice} counted. */
export interface SendTwiceCounts {
  /** SendMessage/SendMessageBatch calls the code made. */
  calls: number;
  /** SendMessage/SendMessageBatch HTTP requests that left the client. */
  requests: number;
}

/**
 * Makes `client` send every SendMessage and SendMessageBatch twice: a second identical
 * request goes out beside the first (both serialised from the same input), as SQS's
 * at-least-once delivery may. The caller sees the first response.
 */
export function sendEverySendTwice(client: SQSClient): SendTwiceCounts {
  const counts: SendTwiceCounts = { calls: 0, requests: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (!SENDS.has(context.commandName ?? "")) return next(args);
      counts.calls++;
      const [first] = await Promise.all([next(args), next(args)]);
      return first;
    },
    { step: "initialize", name: "celeriacTestSendTwice" },
  );
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (SENDS.has(context.commandName ?? "")) counts.requests++;
      return next(args);
    },
    { step: "build", name: "celeriacTestCountSendRequests" },
  );
  return counts;
}
