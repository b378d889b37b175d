import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
  SQSServiceException,
  StartMessageMoveTaskCommand,
} from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import {
  type DeadLetterQueue,
  type DeadLetterQueues,
  RedriveError,
  SqsBroker,
} from "../../../runtime/adapters/sqs/index.js";
import { isUnsupportedOperation } from "../../../runtime/adapters/sqs/message-move.js";
import { moveByCopying } from "../../../runtime/adapters/sqs/redrive-copy.js";

// Error paths the emulators cannot produce: partial batch failures, a receive that
// fails half-way, an endpoint that refuses the move API for another reason.
const sqsMock = mockClient(SQSClient);
afterEach(() => sqsMock.reset());

const ACCOUNT = "arn:aws:sqs:us-east-1:123456789012";
const BASE = "https://sqs.us-east-1.amazonaws.com/123456789012";
const DLQ: DeadLetterQueue = {
  routingKey: "celery",
  name: "app-celery-dlq",
  url: `${BASE}/app-celery-dlq`,
  arn: `${ACCOUNT}:app-celery-dlq`,
  source: { name: "app-celery", url: `${BASE}/app-celery`, arn: `${ACCOUNT}:app-celery` },
};
const client = () => new SQSClient({ region: "us-east-1" });
const received = (ids: string[]) => ({
  Messages: ids.map((id) => ({ MessageId: id, ReceiptHandle: `rh-${id}`, Body: `body-${id}` })),
});
const serviceError = (name: string, status: number) =>
  new SQSServiceException({ name, $fault: "client", $metadata: { httpStatusCode: status } });

describe("Function: moveByCopying", () => {
  it("deletes only the dead letters whose copy was sent, and stops on the others", async () => {
    sqsMock.on(ReceiveMessageCommand).resolvesOnce(received(["a", "b", "c"]));
    sqsMock.on(SendMessageBatchCommand).resolves({
      Successful: [
        { Id: "0", MessageId: "n0", MD5OfMessageBody: "" },
        { Id: "2", MessageId: "n2", MD5OfMessageBody: "" },
      ],
      Failed: [{ Id: "1", Code: "InternalError", SenderFault: false }],
    });
    sqsMock.on(DeleteMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    await expect(moveByCopying(client(), DLQ)).rejects.toThrow(
      "Moved 2 messages from app-celery-dlq to app-celery; 1 could not be sent and stay in app-celery-dlq",
    );
    const deleted = sqsMock.commandCalls(DeleteMessageBatchCommand)[0]!.args[0].input;
    expect(deleted.Entries?.map((e) => e.ReceiptHandle)).toEqual(["rh-a", "rh-c"]);
    const sentTo = sqsMock.commandCalls(SendMessageBatchCommand)[0]!.args[0].input;
    expect(sentTo.QueueUrl).toBe(DLQ.source.url);
    expect(sentTo.Entries?.map((e) => e.MessageBody)).toEqual(["body-a", "body-b", "body-c"]);
  });

  it("deletes nothing when the send request itself fails", async () => {
    sqsMock.on(ReceiveMessageCommand).resolvesOnce(received(["a"]));
    sqsMock.on(SendMessageBatchCommand).rejects(serviceError("AccessDenied", 403));
    await expect(moveByCopying(client(), DLQ)).rejects.toThrow();
    expect(sqsMock.commandCalls(DeleteMessageBatchCommand)).toHaveLength(0);
  });

  it("reports sent copies whose dead letter could not be deleted", async () => {
    sqsMock.on(ReceiveMessageCommand).resolvesOnce(received(["a"]));
    sqsMock
      .on(SendMessageBatchCommand)
      .resolves({ Successful: [{ Id: "0", MessageId: "n0", MD5OfMessageBody: "" }], Failed: [] });
    sqsMock.on(DeleteMessageBatchCommand).resolves({
      Successful: [],
      Failed: [{ Id: "0", Code: "ReceiptHandleIsInvalid", SenderFault: true }],
    });
    const error = await moveByCopying(client(), DLQ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedriveError);
    expect((error as RedriveError).message).toContain(
      "1 of the last batch could not be deleted from app-celery-dlq (ReceiptHandleIsInvalid: )",
    );
  });
});

describe("Class: DeadLetterQueues", () => {
  const dlqs = (): Promise<DeadLetterQueues> =>
    new SqsBroker({
      appName: "app",
      client: client(),
      queueUrls: { celery: DLQ.source.url },
    }).deadLetterQueues();

  it("peek releases what it received even when a later receive fails", async () => {
    sqsMock
      .on(ReceiveMessageCommand)
      .resolvesOnce(received(Array.from({ length: 10 }, (_, i) => `m${i}`)))
      .rejects(serviceError("RequestThrottled", 400));
    sqsMock.on(ChangeMessageVisibilityBatchCommand).resolves({ Successful: [], Failed: [] });
    await expect((await dlqs()).peek(DLQ, 20)).rejects.toThrow();
    const released = sqsMock.commandCalls(ChangeMessageVisibilityBatchCommand)[0]!.args[0].input;
    expect(released.Entries).toHaveLength(10);
    expect(released.Entries?.every((e) => e.VisibilityTimeout === 0)).toBe(true);
  });

  it("redrive does not fall back when the move API fails for another reason", async () => {
    sqsMock.on(StartMessageMoveTaskCommand).rejects(serviceError("AccessDenied", 403));
    await expect((await dlqs()).redrive(DLQ)).rejects.toThrow();
    expect(sqsMock.commandCalls(ReceiveMessageCommand)).toHaveLength(0);
  });

  it("locate finds the DLQ from the queue's redrive policy", async () => {
    sqsMock.on(GetQueueAttributesCommand).resolves({
      Attributes: {
        QueueArn: DLQ.source.arn,
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: `${ACCOUNT}:custom-dlq` }),
      },
    });
    sqsMock.on(GetQueueUrlCommand, { QueueName: "custom-dlq" }).resolves({
      QueueUrl: `${BASE}/custom-dlq`,
    });
    expect(await (await dlqs()).locate("celery")).toEqual({
      routingKey: "celery",
      name: "custom-dlq",
      url: `${BASE}/custom-dlq`,
      arn: `${ACCOUNT}:custom-dlq`,
      source: { name: "app-celery", url: DLQ.source.url, arn: DLQ.source.arn },
    });
  });
});

describe("Function: isUnsupportedOperation", () => {
  it.each([
    ["fauxqs's InvalidAction", serviceError("InvalidAction", 400), true],
    [
      "UnsupportedOperation",
      serviceError("AWS.SimpleQueueService.UnsupportedOperation", 400),
      true,
    ],
    ["HTTP 501", serviceError("Error", 501), true],
    ["AccessDenied", serviceError("AccessDenied", 403), false],
    ["a throttle", serviceError("RequestThrottled", 400), false],
  ])("%s → %s", (_, error, expected) => {
    expect(isUnsupportedOperation(error)).toBe(expected);
  });

  it("is true for moto's HTML 500 page, which the SDK cannot parse", () => {
    const error = Object.assign(
      new SyntaxError("Unexpected token '<'\n  Deserialization error: …"),
      {
        $metadata: { httpStatusCode: 500 },
      },
    );
    expect(isUnsupportedOperation(error)).toBe(true);
    expect(
      isUnsupportedOperation(
        Object.assign(new Error("InternalError"), { $metadata: { httpStatusCode: 500 } }),
      ),
    ).toBe(false);
  });
});
