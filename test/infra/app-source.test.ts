import { App, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import * as iam from "aws-cdk-lib/aws-iam";
import { describe, expect, it } from "vitest";
import {
  CeleriacService,
  type CeleriacServiceProps,
  CeleriacServicePropsError,
} from "../../infra/construct/index.js";
import { Celery } from "../../runtime/index.js";
import { INLINE_CODE } from "./fixtures.js";

const app = new Celery("shop", {
  broker: "memory://",
  backend: "memory://",
  queues: ["celery", "emails"],
  resultExpires: 600,
});

function problemsOf(props: Partial<CeleriacServiceProps>): readonly string[] {
  try {
    new CeleriacService(new Stack(new App(), "S"), "Svc", { code: INLINE_CODE, ...props });
    return [];
  } catch (error) {
    if (error instanceof CeleriacServicePropsError) return error.problems;
    throw error;
  }
}

describe("Prop: app (one source of truth)", () => {
  it("takes the name, the routing keys and resultExpires from the Celery app", () => {
    const stack = new Stack(new App(), "S");
    const service = new CeleriacService(stack, "Svc", { app, code: INLINE_CODE });
    expect(service.config.appName).toBe("shop");
    expect(service.config.routingKeys).toEqual(["celery", "emails"]);
    expect(service.config.resultExpires).toBe(600);
    const template = Template.fromStack(stack);
    template.hasResourceProperties("AWS::SQS::Queue", { QueueName: "shop-emails" });
    template.hasResourceProperties("AWS::SQS::Queue", { QueueName: "shop-emails-dlq" });
    template.hasResourceProperties("AWS::DynamoDB::Table", { TableName: "shop-results" });
    template.hasResourceProperties("AWS::Lambda::Function", {
      Environment: { Variables: { CELERIAC_RESULT_EXPIRES: "600" } },
    });
  });

  it("accepts props that agree with the app", () => {
    const agreeing = {
      app,
      appName: "shop",
      routingKeys: ["emails", "celery"],
      resultExpires: 600,
    };
    expect(problemsOf(agreeing)).toEqual([]);
  });

  it("fails at synth naming each prop that disagrees with the app", () => {
    expect(
      problemsOf({ app, appName: "shop2", routingKeys: ["celery", "lopri"], resultExpires: 60 }),
    ).toEqual([
      `appName 'shop2' does not match the app's name 'shop' (new Celery("shop", …)); leave appName out or make them agree`,
      "routingKeys [celery, lopri] do not match the app's queues [celery, emails] (the app's emails missing; lopri not in the app's queues); leave routingKeys out or list the app's queues",
      "resultExpires 60 does not match the app's resultExpires 600; leave it out or make them agree",
    ]);
  });

  it("asks for app or appName when neither is given", () => {
    expect(problemsOf({ routingKeys: ["celery"] })).toEqual([
      "give app (your Celery app: new CeleriacService(this, id, { app, tasksModule })) or appName",
    ]);
  });
});

describe("Method: grantSend / grantResultRead on any IGrantable", () => {
  it("grants a plain role and returns the environment its compute needs", () => {
    const stack = new Stack(new App(), "S");
    const service = new CeleriacService(stack, "Svc", { app, code: INLINE_CODE });
    const role = new iam.Role(stack, "TaskRole", {
      assumedBy: new iam.ServicePrincipal("ecs-tasks.amazonaws.com"),
    });
    const send = service.grantSend(role);
    const read = service.grantResultRead(role);
    expect(send.environmentSet).toBe(false);
    expect(send.statementsAdded).toBe(true);
    expect(read.statements).toHaveLength(1);
    expect(Object.keys(send.environment).sort()).toEqual([
      "CELERIAC_BACKEND",
      "CELERIAC_BROKER",
      "CELERIAC_QUEUE_URLS",
    ]);
    expect(send.environment.CELERIAC_BROKER).toBe("sqs://");
    const template = Template.fromStack(stack);
    const policies = template.findResources("AWS::IAM::Policy", {
      Properties: { Roles: [{ Ref: stack.getLogicalId(role.node.defaultChild as iam.CfnRole) }] },
    });
    const sids = Object.values(policies).flatMap(
      (p) =>
        (p as { Properties: { PolicyDocument: { Statement: { Sid?: string }[] } } }).Properties
          .PolicyDocument.Statement,
    );
    expect(sids.map((s) => s.Sid)).toEqual(["SendToAppQueues", "ReadResults"]);
  });
});
