import type { CfnElement, Stack } from "aws-cdk-lib";
import { Match, type Template } from "aws-cdk-lib/assertions";
import type { IConstruct } from "constructs";
import { beforeAll, describe, expect, it } from "vitest";
import type { ProjStack } from "../../infra/proj-stack.js";
import {
  arnOf,
  asList,
  type CfnResource,
  projStack,
  roleOfFunction,
  roleStatements,
  type Statement,
  templateOf,
} from "./fixtures.js";

const KEYS = ["celery", "lopri"] as const;

/** The logical id of a construct's CloudFormation resource. */
function idOf(stack: Stack, construct: IConstruct): string {
  return stack.getLogicalId(construct.node.defaultChild as CfnElement);
}

describe("Class: CeleriacService (the seed's stack)", () => {
  let stack: ProjStack;
  let template: Template;
  let resources: Record<string, CfnResource>;
  const ids = {
    queue: {} as Record<string, string>,
    dlq: {} as Record<string, string>,
    worker: {} as Record<string, string>,
    table: "",
    producer: "",
  };

  beforeAll(() => {
    stack = projStack().stack;
    template = templateOf(stack);
    resources = template.toJSON().Resources;
    const { service } = stack;
    for (const key of KEYS) {
      ids.queue[key] = idOf(stack, service.queues[key]!);
      ids.dlq[key] = idOf(stack, service.deadLetterQueues[key]!);
      ids.worker[key] = idOf(stack, service.workers[key]!);
    }
    ids.table = idOf(stack, service.table);
    ids.producer = idOf(stack, stack.producer);
  });

  describe("Queues", () => {
    it("creates a queue and a dead-letter queue per routing key and nothing else", () => {
      template.resourceCountIs("AWS::SQS::Queue", 4);
    });

    it.each(KEYS)(
      "names %s's queue as the runtime does, with SSE, 1 MiB messages and redrive",
      (key) => {
        expect(resources[ids.queue[key]!]!.Properties).toEqual({
          QueueName: `proj-${key}`,
          SqsManagedSseEnabled: true,
          MaximumMessageSize: 1_048_576,
          VisibilityTimeout: 180, // 6 × the 30 s function timeout
          RedrivePolicy: { deadLetterTargetArn: arnOf(ids.dlq[key]!), maxReceiveCount: 5 },
        });
      },
    );

    it.each(KEYS)("keeps %s's dead letters 14 days, encrypted", (key) => {
      expect(resources[ids.dlq[key]!]!.Properties).toEqual({
        QueueName: `proj-${key}-dlq`,
        SqsManagedSseEnabled: true,
        MaximumMessageSize: 1_048_576,
        MessageRetentionPeriod: 14 * 24 * 3600,
      });
    });

    it("denies every queue's use without TLS", () => {
      for (const id of [...Object.values(ids.queue), ...Object.values(ids.dlq)]) {
        template.hasResourceProperties("AWS::SQS::QueuePolicy", {
          Queues: [{ Ref: id }],
          PolicyDocument: {
            Statement: [
              Match.objectLike({
                Effect: "Deny",
                Action: "sqs:*",
                Principal: { AWS: "*" },
                Condition: { Bool: { "aws:SecureTransport": "false" } },
                Resource: arnOf(id),
              }),
            ],
          },
        });
      }
    });

    it.each(KEYS)("alarms as soon as %s's dead-letter queue holds a message", (key) => {
      template.hasResourceProperties("AWS::CloudWatch::Alarm", {
        Namespace: "AWS/SQS",
        MetricName: "ApproximateNumberOfMessagesVisible",
        Dimensions: [{ Name: "QueueName", Value: { "Fn::GetAtt": [ids.dlq[key], "QueueName"] } }],
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
        Threshold: 1,
        EvaluationPeriods: 1,
      });
    });
  });

  describe("Workers", () => {
    it.each(KEYS)("feeds %s's worker from its own queue with partial batch responses", (key) => {
      const mappings = Object.values(
        template.findResources("AWS::Lambda::EventSourceMapping", {
          Properties: { FunctionName: { Ref: ids.worker[key] } },
        }),
      ) as unknown as CfnResource[];
      expect(mappings.map((m) => m.Properties)).toEqual([
        {
          EventSourceArn: arnOf(ids.queue[key]!),
          FunctionName: { Ref: ids.worker[key] },
          FunctionResponseTypes: ["ReportBatchItemFailures"],
          BatchSize: 10,
          Enabled: true,
        },
      ]);
    });

    it.each(KEYS)("runs %s's worker on Node 24, arm64, with its queue URLs and table", (key) => {
      const fn = resources[ids.worker[key]!]!;
      expect(fn.Properties).toMatchObject({
        Runtime: "nodejs24.x",
        Architectures: ["arm64"],
        Timeout: 30,
        Handler: "index.handler",
      });
      expect(stack.resolve(fn.Properties.Environment)).toEqual({
        Variables: {
          NODE_OPTIONS: "--enable-source-maps",
          CELERIAC_BROKER: "sqs://",
          CELERIAC_BACKEND: { "Fn::Join": ["", ["dynamodb://", { Ref: ids.table }]] },
          CELERIAC_QUEUE_URLS: {
            "Fn::Join": [
              "",
              [
                '{"celery":"',
                { Ref: ids.queue.celery },
                '","lopri":"',
                { Ref: ids.queue.lopri },
                '"}',
              ],
            ],
          },
        },
      });
    });

    it.each(KEYS)("logs %s's worker to its own log group with a retention", (key) => {
      const fn = resources[ids.worker[key]!]!;
      const logGroup = (fn.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      expect(resources[logGroup]).toMatchObject({
        Type: "AWS::Logs::LogGroup",
        Properties: { RetentionInDays: 30 },
      });
    });

    it("creates no custom resources (moto cannot run them)", () => {
      const types = new Set(Object.values(resources).map((r) => r.Type));
      expect(
        [...types].filter(
          (t) => t.startsWith("Custom::") || t === "AWS::CloudFormation::CustomResource",
        ),
      ).toEqual([]);
      expect(Object.keys(template.findResources("AWS::Lambda::Function"))).toHaveLength(3);
    });
  });

  describe("Results table", () => {
    it("has the adapter's key schema, TTL, PITR, deletion protection and on-demand billing", () => {
      expect(resources[ids.table]).toMatchObject({
        DeletionPolicy: "Retain",
        Properties: {
          TableName: "proj-results",
          KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
          AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
          BillingMode: "PAY_PER_REQUEST",
          TimeToLiveSpecification: { AttributeName: "ttl", Enabled: true },
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          DeletionProtectionEnabled: true,
          SSESpecification: { SSEEnabled: true },
        },
      });
      expect(resources[ids.table]!.Properties).not.toHaveProperty("ProvisionedThroughput");
    });
  });

  describe("IAM", () => {
    const logsStatement = (logGroupId: string): Statement => ({
      Sid: "WriteOwnLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: arnOf(logGroupId),
    });
    const logGroupOf = (fnId: string) =>
      (resources[fnId]!.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;

    it.each(KEYS)(
      "lets %s's worker consume only its own queue, send to the app's, use the table item by item",
      (key) => {
        const role = roleOfFunction(template, ids.worker[key]!);
        expect(roleStatements(template, role)).toEqual([
          logsStatement(logGroupOf(ids.worker[key]!)),
          {
            Sid: "ConsumeOwnQueue",
            Effect: "Allow",
            Action: [
              "sqs:ReceiveMessage",
              "sqs:DeleteMessage",
              "sqs:ChangeMessageVisibility",
              "sqs:GetQueueAttributes",
            ],
            Resource: arnOf(ids.queue[key]!),
          },
          {
            Sid: "SendToAppQueues",
            Effect: "Allow",
            Action: "sqs:SendMessage",
            Resource: [arnOf(ids.queue.celery!), arnOf(ids.queue.lopri!)],
          },
          {
            Sid: "UseResultsTable",
            Effect: "Allow",
            Action: [
              "dynamodb:GetItem",
              "dynamodb:BatchGetItem",
              "dynamodb:PutItem",
              "dynamodb:UpdateItem",
              "dynamodb:DeleteItem",
              "dynamodb:BatchWriteItem",
            ],
            Resource: arnOf(ids.table),
          },
        ]);
      },
    );

    it("gives the producer send and result-read permissions and nothing else", () => {
      const role = roleOfFunction(template, ids.producer);
      expect(roleStatements(template, role)).toEqual([
        logsStatement(logGroupOf(ids.producer)),
        {
          Sid: "SendToAppQueues",
          Effect: "Allow",
          Action: "sqs:SendMessage",
          Resource: [arnOf(ids.queue.celery!), arnOf(ids.queue.lopri!)],
        },
        {
          Sid: "ReadResults",
          Effect: "Allow",
          Action: ["dynamodb:GetItem", "dynamodb:BatchGetItem"],
          Resource: arnOf(ids.table),
        },
      ]);
    });

    it("sets the producer's environment as the workers'", () => {
      const env = (fnId: string) =>
        (resources[fnId]!.Properties.Environment as { Variables: Record<string, unknown> })
          .Variables;
      expect(env(ids.producer)).toEqual(env(ids.worker.celery!));
    });

    it("has no wildcard action or resource in any identity policy, and no managed policies", () => {
      const statements = Object.values(template.findResources("AWS::IAM::Policy")).flatMap(
        (p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
      );
      expect(statements.length).toBeGreaterThan(0);
      for (const s of statements) {
        for (const action of asList(s.Action)) expect(action).not.toContain("*");
        for (const resource of asList(s.Resource)) {
          // Every resource is an attribute of a resource of this stack: never a literal pattern.
          expect(resource).toEqual({ "Fn::GetAtt": [expect.any(String), "Arn"] });
        }
      }
      for (const role of Object.values(template.findResources("AWS::IAM::Role"))) {
        expect(role.Properties).not.toHaveProperty("ManagedPolicyArns");
        expect(role.Properties).not.toHaveProperty("Policies");
      }
    });

    it("creates the mappings after the roles' policies (the poller needs them)", () => {
      for (const key of KEYS) {
        const fn = resources[ids.worker[key]!]!;
        const role = roleOfFunction(template, ids.worker[key]!);
        const policy = Object.keys(
          template.findResources("AWS::IAM::Policy", { Properties: { Roles: [{ Ref: role }] } }),
        );
        expect(fn.DependsOn).toEqual(expect.arrayContaining([role, ...policy]));
      }
    });
  });

  it("outputs the queue URLs, the table name and the function names", () => {
    expect(stack.resolve(template.toJSON().Outputs)).toEqual({
      QueueUrlCelery: { Value: { Ref: ids.queue.celery } },
      QueueUrlLopri: { Value: { Ref: ids.queue.lopri } },
      TableName: { Value: { Ref: ids.table } },
      WorkerFunctionCelery: { Value: { Ref: ids.worker.celery } },
      WorkerFunctionLopri: { Value: { Ref: ids.worker.lopri } },
      ProducerFunction: { Value: { Ref: ids.producer } },
    });
  });
});
