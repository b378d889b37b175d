import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { SQSClient } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { SqsBroker } from "../../../runtime/adapters/sqs/index.js";

const URL_A = "https://sqs.us-east-1.amazonaws.com/123456789012/app-a";

/** A client whose HTTP handler answers from `responses` in turn, without any network. */
function scriptedClient(responses: { status: number; body: object }[]) {
  const requests: string[] = [];
  const client = new SQSClient({
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    requestHandler: {
      handle: async (request: { headers: Record<string, string> }) => {
        requests.push(request.headers["x-amz-target"] ?? "");
        const next = responses.shift() ?? { status: 500, body: {} };
        return {
          response: {
            statusCode: next.status,
            headers: { "content-type": "application/x-amz-json-1.0" },
            body: Readable.from([Buffer.from(JSON.stringify(next.body))]),
          },
        };
      },
    },
  });
  return { client, requests };
}

const md5 = (text: string) => createHash("md5").update(text).digest("hex");
const message = { queue: "a", body: '{"n":0}', delaySeconds: 0, taskId: "id-0", taskName: "t" };
const sent = { Successful: [{ Id: "0", MessageId: "m0", MD5OfMessageBody: md5(message.body) }] };

describe("Class: SqsBroker (the SDK's retry strategy under it)", () => {
  it.each(["RequestThrottled", "ThrottlingException"])(
    "publishes after the SDK retries a SendMessageBatch throttled with %s",
    async (code) => {
      const { client, requests } = scriptedClient([
        { status: 400, body: { __type: `com.amazonaws.sqs#${code}`, message: "Rate exceeded" } },
        { status: 200, body: sent },
      ]);
      const broker = new SqsBroker({ appName: "app", client, queueUrls: { a: URL_A } });

      await broker.publish([message]);

      expect(requests).toEqual(["AmazonSQS.SendMessageBatch", "AmazonSQS.SendMessageBatch"]);
    },
  );
});
