import { App, type CfnElement, Duration, Stack } from "aws-cdk-lib";
import { Match, type Template } from "aws-cdk-lib/assertions";
import * as lambda from "aws-cdk-lib/aws-lambda";
import type { IConstruct } from "constructs";
import { beforeAll, describe, expect, it } from "vitest";
import { CeleriacService } from "../../infra/construct/index.js";
import {
  arnOf,
  type CfnResource,
  INLINE_CODE,
  projStack,
  roleOfFunction,
  roleStatements,
  templateOf,
} from "./fixtures.js";

/** The logical id of a construct's CloudFormation resource. */
function idOf(stack: Stack, construct: IConstruct): string {
  return stack.getLogicalId(construct.node.defaultChild as CfnElement);
}

describe("Class: CeleriacService (moto options)", () => {
  it("deploys the event source mappings disabled with esm=off", () => {
    const template = templateOf(projStack({ eventSourcesEnabled: false }).stack);
    const mappings = Object.values(template.findResources("AWS::Lambda::EventSourceMapping"));
    expect(mappings).toHaveLength(2);
    for (const m of mappings) expect(m.Properties.Enabled).toBe(false);
  });

  it("lets the stack delete the table and log groups with deletionProtection=false", () => {
    const template = templateOf(projStack({ deletionProtection: false }).stack);
    template.hasResource("AWS::DynamoDB::Table", {
      DeletionPolicy: "Delete",
      Properties: Match.objectLike({ DeletionProtectionEnabled: false }),
    });
    for (const group of Object.values(template.findResources("AWS::Logs::LogGroup"))) {
      expect(group.DeletionPolicy).toBe("Delete");
    }
  });

  it("builds every function for arm64, or for x86_64 with arch=x86_64 (LocalStack on x86)", () => {
    const archOf = (template: Template) =>
      Object.values(template.findResources("AWS::Lambda::Function")).map(
        (f) => (f.Properties as { Architectures?: string[] }).Architectures,
      );
    const arm = archOf(templateOf(projStack().stack));
    expect(arm).toHaveLength(3);
    expect(arm.every((a) => a?.[0] === "arm64")).toBe(true);
    const x86 = archOf(templateOf(projStack({ architecture: lambda.Architecture.X86_64 }).stack));
    expect(x86.every((a) => a?.[0] === "x86_64")).toBe(true);
  });

  it("omits the bootstrap version rule with synth=nobsv", () => {
    const nobsv = templateOf(projStack({ synth: "nobsv" }).stack).toJSON();
    expect(nobsv.Rules?.CheckBootstrapVersion).toBeUndefined();
    expect(nobsv.Parameters?.BootstrapVersion).toBeUndefined();
    const standard = templateOf(projStack().stack).toJSON();
    expect(standard.Rules?.CheckBootstrapVersion).toBeDefined();
  });
});

describe("Class: CeleriacService (props)", () => {
  let template: Template;
  let stack: Stack;
  let service: CeleriacService;
  let producer: lambda.Function;

  beforeAll(() => {
    stack = new Stack(new App(), "Custom");
    service = new CeleriacService(stack, "Svc", {
      appName: "shop",
      routingKeys: ["orders"],
      code: INLINE_CODE,
      functionTimeout: Duration.seconds(60),
      memorySize: 2048,
      batchSize: 100,
      maxBatchingWindow: Duration.seconds(5),
      maxConcurrency: 5,
      maxReceiveCount: 3,
      resultExpires: 86_400,
      tableName: "shop-results-v2",
      pointInTimeRecovery: false,
      environment: { LOG_LEVEL: "debug" },
    });
    producer = new lambda.Function(stack, "Producer", {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: "index.handler",
      code: INLINE_CODE,
    });
    service.grantSend(producer, { saveGroups: true });
    template = templateOf(stack);
  });

  it("sets the visibility timeout to 6 × timeout + batching window and the redrive count", () => {
    template.hasResourceProperties("AWS::SQS::Queue", {
      QueueName: "shop-orders",
      VisibilityTimeout: 6 * 60 + 5,
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 3 }),
    });
  });

  it("passes batch size, batching window and maximum concurrency to the mapping", () => {
    template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 5,
      ScalingConfig: { MaximumConcurrency: 5 },
      FunctionResponseTypes: ["ReportBatchItemFailures"],
    });
  });

  it("passes resultExpires and extra variables to the workers", () => {
    template.hasResourceProperties("AWS::Lambda::Function", {
      MemorySize: 2048,
      Timeout: 60,
      Environment: {
        Variables: Match.objectLike({ CELERIAC_RESULT_EXPIRES: "86400", LOG_LEVEL: "debug" }),
      },
    });
  });

  it("names the table and turns PITR off when asked", () => {
    template.hasResourceProperties("AWS::DynamoDB::Table", {
      TableName: "shop-results-v2",
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
    });
  });

  it("grantSend sets the environment and sqs:SendMessage (and group saves when asked)", () => {
    const fnId = idOf(stack, producer);
    const env = (template.toJSON().Resources[fnId] as CfnResource).Properties.Environment as {
      Variables: Record<string, unknown>;
    };
    expect(Object.keys(env.Variables).sort()).toEqual([
      "CELERIAC_BACKEND",
      "CELERIAC_BROKER",
      "CELERIAC_QUEUE_URLS",
    ]);
    const statements = roleStatements(template, roleOfFunction(template, fnId));
    expect(statements.filter((s) => s.Sid !== undefined)).toEqual([
      {
        Sid: "SendToAppQueues",
        Effect: "Allow",
        Action: "sqs:SendMessage",
        Resource: arnOf(idOf(stack, service.queues.orders!)),
      },
      {
        Sid: "SaveGroups",
        Effect: "Allow",
        Action: ["dynamodb:PutItem", "dynamodb:BatchWriteItem"],
        Resource: arnOf(idOf(stack, service.table)),
      },
    ]);
  });

  it("exposes queues, dead-letter queues, alarms and workers by routing key", () => {
    expect(Object.keys(service.queues)).toEqual(["orders"]);
    expect(Object.keys(service.deadLetterQueues)).toEqual(["orders"]);
    expect(Object.keys(service.deadLetterAlarms)).toEqual(["orders"]);
    expect(Object.keys(service.workers)).toEqual(["orders"]);
  });
});

describe("Class: CeleriacService (resultLayout)", () => {
  const build = (resultLayout?: "celeriac" | "celery") => {
    const stack = new Stack(new App(), "Layout");
    const service = new CeleriacService(stack, "Svc", {
      appName: "proj",
      routingKeys: ["celery"],
      code: INLINE_CODE,
      ...(resultLayout ? { resultLayout } : {}),
    });
    return { stack, service };
  };

  it("keys the table `id` and tells the functions ?layout=celery for Celery's layout", () => {
    const { stack, service } = build("celery");
    const template = templateOf(stack);
    template.hasResourceProperties("AWS::DynamoDB::Table", {
      KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
      AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
    });
    const backend = stack.resolve(service.producerEnvironment().CELERIAC_BACKEND) as unknown;
    expect(JSON.stringify(backend)).toContain("?layout=celery");
  });

  it("keeps the key `pk` and a plain dynamodb://<table> by default", () => {
    const { stack, service } = build();
    templateOf(stack).hasResourceProperties("AWS::DynamoDB::Table", {
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
    });
    const backend = stack.resolve(service.producerEnvironment().CELERIAC_BACKEND) as unknown;
    expect(JSON.stringify(backend)).not.toContain("layout");
  });
});
