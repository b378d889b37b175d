import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  GetQueueUrlCommand,
  MessageNotInflight,
  QueueDoesNotExist,
  ReceiveMessageCommand,
  RequestThrottled,
  SendMessageBatchCommand,
  SQSClient,
  SQSServiceException,
} from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { AckError, SqsBroker, SqsPublishError } from "../../../runtime/adapters/sqs/index.js";
import { PublishError, UnknownQueueError } from "../../../runtime/errors/usage-errors.js";
import type { OutgoingMessage } from "../../../runtime/ports/broker.js";

const sqsMock = mockClient(SQSClient);
const URL_A = "https://sqs.us-east-1.amazonaws.com/123456789012/app-a";
const URL_B = "https://sqs.us-east-1.amazonaws.com/123456789012/app-b";

afterEach(() => {
  sqsMock.reset();
});

function broker(): SqsBroker {
  return new SqsBroker({
    appName: "app",
    client: new SQSClient({ region: "us-east-1" }),
    queueUrls: { a: URL_A, b: URL_B },
    retry: { attempts: 3, baseDelayMs: 1 },
  });
}

function messages(queue: string, count: number): OutgoingMessage[] {
  return Array.from({ length: count }, (_, i) => ({
    queue,
    body: `{"${queue}":${i}}`,
    delaySeconds: 0,
    taskId: `${queue}-id-${i}`,
    taskName: "tasks.add",
  }));
}

function entries(list: readonly OutgoingMessage[], ids?: readonly number[]) {
  return (ids ?? list.map((_, i) => i)).map((i) => ({
    Id: String(i),
    MessageBody: list[i]?.body,
    DelaySeconds: 0,
  }));
}

function successful(ids: readonly number[]) {
  return ids.map((i) => ({ Id: String(i), MessageId: `m${i}`, MD5OfMessageBody: "x" }));
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("Class: SqsBroker (mocked SQS)", () => {
  describe("Method: publish", () => {
    it("retries an entry reported in Failed, sending only that entry again", async () => {
      const sent = messages("a", 10);
      sqsMock
        .on(SendMessageBatchCommand)
        .resolvesOnce({
          Successful: successful(range(10).filter((i) => i !== 3)),
          Failed: [{ Id: "3", SenderFault: false, Code: "InternalError", Message: "try again" }],
        })
        .resolvesOnce({ Successful: successful([3]), Failed: [] });

      await broker().publish(sent);

      const calls = sqsMock.commandCalls(SendMessageBatchCommand);
      expect(calls.map((c) => c.args[0].input)).toEqual([
        { QueueUrl: URL_A, Entries: entries(sent) },
        { QueueUrl: URL_A, Entries: entries(sent, [3]) },
      ]);
    });

    it("rejects with PublishError naming the task and the code when an entry keeps failing", async () => {
      const sent = messages("a", 10);
      sqsMock.on(SendMessageBatchCommand).resolves({
        Successful: successful(range(10).filter((i) => i !== 3)),
        Failed: [{ Id: "3", SenderFault: false, Code: "InternalError", Message: "still down" }],
      });

      const error = await broker()
        .publish(sent)
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(PublishError);
      expect((error as Error).message).toContain("1 of 10 messages were not sent");
      expect((error as Error).message).toContain("tasks.add[a-id-3]");
      expect((error as Error).message).toContain("InternalError: still down");
      expect((error as SqsPublishError).unsent.map((u) => u.message.taskId)).toEqual(["a-id-3"]);
      expect((error as SqsPublishError).taskId).toBe("a-id-3");
      expect(sqsMock.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input)).toEqual([
        { QueueUrl: URL_A, Entries: entries(sent) },
        { QueueUrl: URL_A, Entries: entries(sent, [3]) },
        { QueueUrl: URL_A, Entries: entries(sent, [3]) },
      ]);
    });

    it("does not retry an entry that failed by the sender's fault", async () => {
      const sent = messages("a", 2);
      sqsMock.on(SendMessageBatchCommand).resolves({
        Successful: successful([0]),
        Failed: [{ Id: "1", SenderFault: true, Code: "InvalidMessageContents", Message: "bad" }],
      });

      await expect(broker().publish(sent)).rejects.toThrow(
        /tasks\.add\[a-id-1\].*InvalidMessageContents/,
      );
      expect(sqsMock.commandCalls(SendMessageBatchCommand)).toHaveLength(1);
    });

    it.each([
      ["RequestThrottled", new RequestThrottled({ message: "Rate exceeded", $metadata: {} })],
      [
        "ThrottlingException",
        new SQSServiceException({
          name: "ThrottlingException",
          $fault: "client",
          message: "Rate exceeded",
          $metadata: {},
        }),
      ],
    ])(
      "reports a batch throttled past the SDK's retries (%s) and sends the others",
      async (code, error) => {
        const toA = messages("a", 10);
        const toB = messages("b", 3);
        sqsMock
          .on(SendMessageBatchCommand, { QueueUrl: URL_A })
          .rejects(error)
          .on(SendMessageBatchCommand, { QueueUrl: URL_B })
          .resolves({ Successful: successful(range(3)), Failed: [] });

        const caught = await broker()
          .publish([...toA, ...toB])
          .catch((e: unknown) => e);

        expect(caught).toBeInstanceOf(SqsPublishError);
        expect((caught as Error).message).toContain("10 of 13 messages were not sent");
        expect((caught as Error).message).toContain(`${code}: Rate exceeded`);
        expect((caught as SqsPublishError).unsent.map((u) => u.message.taskId)).toEqual(
          toA.map((m) => m.taskId),
        );
        expect(sqsMock.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input)).toEqual([
          { QueueUrl: URL_A, Entries: entries(toA) },
          { QueueUrl: URL_B, Entries: entries(toB) },
        ]);
      },
    );

    it("splits a batch at 1 MiB of bodies as well as at 10 entries", async () => {
      const big = "x".repeat(400_000);
      const sent = messages("a", 5).map((m) => ({ ...m, body: big }));
      sqsMock.on(SendMessageBatchCommand).callsFake((input: { Entries: { Id: string }[] }) => ({
        Successful: successful(input.Entries.map((e) => Number(e.Id))),
      }));

      await broker().publish(sent);

      expect(
        sqsMock.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.Entries?.length),
      ).toEqual([2, 2, 1]);
    });

    it("rejects a delay outside 0..900 s before sending anything", async () => {
      const [m] = messages("a", 1);
      await expect(
        broker().publish([{ ...(m as OutgoingMessage), delaySeconds: 901 }]),
      ).rejects.toThrow(PublishError);
      expect(sqsMock.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
    });
  });

  describe("Queue URL lookup", () => {
    it("looks a queue up once, however many publishes ask at the same time", async () => {
      sqsMock.on(GetQueueUrlCommand).resolves({ QueueUrl: URL_A });
      sqsMock.on(SendMessageBatchCommand).resolves({ Successful: successful([0]) });
      const b = new SqsBroker({
        appName: "app",
        client: new SQSClient({ region: "us-east-1" }),
        queueUrls: {},
      });

      await Promise.all([b.publish(messages("a", 1)), b.publish(messages("a", 1))]);
      await b.publish(messages("a", 1));

      expect(sqsMock.commandCalls(GetQueueUrlCommand).map((c) => c.args[0].input)).toEqual([
        { QueueName: "app-a" },
      ]);
    });

    it("does not cache a missing queue: it is looked up again once created", async () => {
      sqsMock
        .on(GetQueueUrlCommand)
        .rejectsOnce(
          new QueueDoesNotExist({ message: "The specified queue does not exist.", $metadata: {} }),
        )
        .resolves({ QueueUrl: URL_A });
      sqsMock.on(SendMessageBatchCommand).resolves({ Successful: successful([0]) });
      const b = new SqsBroker({
        appName: "app",
        client: new SQSClient({ region: "us-east-1" }),
        queueUrls: {},
      });

      await expect(b.publish(messages("a", 1))).rejects.toThrow(UnknownQueueError);
      await b.publish(messages("a", 1));
      expect(sqsMock.commandCalls(GetQueueUrlCommand)).toHaveLength(2);
    });
  });

  describe("Methods: receive, ack, release", () => {
    it("receives with the receive count asked for, and maps it to a number", async () => {
      sqsMock.on(ReceiveMessageCommand).resolves({
        Messages: [
          {
            MessageId: "m1",
            ReceiptHandle: "h1",
            Body: "b",
            Attributes: { ApproximateReceiveCount: "3" },
          },
        ],
      });
      const b = new SqsBroker({
        appName: "app",
        client: new SQSClient({ region: "us-east-1" }),
        queueUrls: { a: URL_A },
        visibilityTimeout: 60,
      });

      expect(await b.receive("a", { maxMessages: 10, waitSeconds: 20 })).toEqual([
        { messageId: "m1", receiptHandle: "h1", body: "b", receiveCount: 3 },
      ]);
      expect(sqsMock.commandCalls(ReceiveMessageCommand)[0]?.args[0].input).toEqual({
        QueueUrl: URL_A,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 20,
        MessageSystemAttributeNames: ["ApproximateReceiveCount"],
        VisibilityTimeout: 60,
      });
    });

    it("acks in DeleteMessageBatch calls of 10 and reports entries SQS did not delete", async () => {
      const handles = range(12).map((i) => `h${i}`);
      sqsMock
        .on(DeleteMessageBatchCommand)
        .resolvesOnce({
          Successful: range(10)
            .filter((i) => i !== 1)
            .map((i) => ({ Id: String(i) })),
          Failed: [
            { Id: "1", SenderFault: true, Code: "ReceiptHandleIsInvalid", Message: "bad handle" },
          ],
        })
        .resolvesOnce({ Successful: [{ Id: "0" }, { Id: "1" }] });

      const error = await broker()
        .ack("a", handles)
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(AckError);
      expect((error as AckError).failures).toEqual([
        { receiptHandle: "h1", code: "ReceiptHandleIsInvalid", message: "bad handle" },
      ]);
      expect(sqsMock.commandCalls(DeleteMessageBatchCommand).map((c) => c.args[0].input)).toEqual([
        {
          QueueUrl: URL_A,
          Entries: handles.slice(0, 10).map((h, i) => ({ Id: String(i), ReceiptHandle: h })),
        },
        {
          QueueUrl: URL_A,
          Entries: handles.slice(10).map((h, i) => ({ Id: String(i), ReceiptHandle: h })),
        },
      ]);
    });

    it("release leaves alone a message that is no longer in flight", async () => {
      sqsMock
        .on(ChangeMessageVisibilityCommand)
        .rejects(new MessageNotInflight({ message: "not in flight", $metadata: {} }));

      await expect(broker().release("a", "h1", 5)).resolves.toBeUndefined();
      expect(sqsMock.commandCalls(ChangeMessageVisibilityCommand)[0]?.args[0].input).toEqual({
        QueueUrl: URL_A,
        ReceiptHandle: "h1",
        VisibilityTimeout: 5,
      });
    });
  });
});
