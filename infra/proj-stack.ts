import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type App,
  CfnOutput,
  DefaultStackSynthesizer,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from "aws-cdk-lib";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { AwsSolutionsChecks } from "cdk-nag";
import type { Construct } from "constructs";
import { CeleriacFunction, CeleriacService } from "./construct/index.js";

/** The repository root (this file is `infra/proj-stack.ts`). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Options of the seed project's stack. */
export interface ProjStackOptions {
  /** Whether the SQS event source mappings are enabled (false on moto). @default true */
  readonly eventSourcesEnabled?: boolean;
  /** Deletion protection on the results table; false also destroys it and the log groups with the stack. @default true */
  readonly deletionProtection?: boolean;
  /** Prebuilt code for every function instead of bundling (template-only tests). @default - bundle with esbuild */
  readonly code?: lambda.Code;
  /** The functions' architecture (`-c arch=x86_64` for LocalStack on an x86 host). @default lambda.Architecture.ARM_64 */
  readonly architecture?: lambda.Architecture;
}

/**
 * The seed's `proj` deployed: routing keys `celery` and `lopri`, workers bundled from
 * `handlers/worker.ts`, and a producer Lambda (`examples/producer/handler.ts`) allowed to
 * send tasks and read results.
 */
export class ProjStack extends Stack {
  readonly service: CeleriacService;
  readonly producer: lambda.Function;

  constructor(scope: Construct, id: string, props: StackProps & ProjStackOptions = {}) {
    super(scope, id, props);
    const deletionProtection = props.deletionProtection ?? true;
    const removalPolicy = deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.service = new CeleriacService(this, "Proj", {
      appName: "proj",
      routingKeys: ["celery", "lopri"],
      ...(props.code
        ? { code: props.code }
        : { entry: resolve(REPO_ROOT, "handlers/worker.ts"), projectRoot: REPO_ROOT }),
      eventSourcesEnabled: props.eventSourcesEnabled ?? true,
      deletionProtection,
      removalPolicy,
      ...(props.architecture ? { architecture: props.architecture } : {}),
    });

    const producer = new CeleriacFunction(this, "Producer", {
      source: props.code
        ? { kind: "code", code: props.code }
        : {
            kind: "entry",
            entry: resolve(REPO_ROOT, "examples/producer/handler.ts"),
            projectRoot: REPO_ROOT,
          },
      runtime: this.service.config.runtime,
      architecture: this.service.config.architecture,
      timeout: Duration.seconds(60),
      memorySize: 512,
      description: "Celeriac example producer: sends add, chain and chord of app 'proj'",
      removalPolicy,
    });
    this.producer = producer.fn;
    this.service.grantSend(this.producer);
    this.service.grantResultRead(this.producer);

    for (const [key, queue] of Object.entries(this.service.queues)) {
      new CfnOutput(this, `QueueUrl${pascal(key)}`, { value: queue.queueUrl });
    }
    new CfnOutput(this, "TableName", { value: this.service.table.tableName });
    for (const [key, fn] of Object.entries(this.service.workers)) {
      new CfnOutput(this, `WorkerFunction${pascal(key)}`, { value: fn.functionName });
    }
    new CfnOutput(this, "ProducerFunction", { value: this.producer.functionName });
  }
}

function pascal(key: string): string {
  return key.replace(/(^|[-_])([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
}

/** How the app is built: `cdk.json` context or the options of a test. */
export interface ProjAppOptions extends ProjStackOptions {
  /** `nobsv`: DefaultStackSynthesizer without the bootstrap version rule (moto). @default - the default synthesizer */
  readonly synth?: string;
  /** @default process.env.CELERIAC_STACK ?? "CeleriacProj" */
  readonly stackName?: string;
  /** Run cdk-nag's AwsSolutions checks. @default true */
  readonly nag?: boolean;
}

/** Reads the app's options from CDK context (`-c esm=off`, `-c synth=nobsv`, ...). */
export function optionsFromContext(app: App): ProjAppOptions {
  const ctx = (key: string): unknown => app.node.tryGetContext(key);
  const flag = (v: unknown) => v === false || v === "false" || v === "off";
  const stackName = ctx("stackName");
  const synth = ctx("synth");
  const arch = ctx("arch");
  if (arch !== undefined && arch !== "arm64" && arch !== "x86_64") {
    throw new Error(`Unknown -c arch=${String(arch)}; use arm64 (the default) or x86_64.`);
  }
  return {
    ...(arch === "x86_64" ? { architecture: lambda.Architecture.X86_64 } : {}),
    eventSourcesEnabled: !flag(ctx("esm")),
    deletionProtection: !flag(ctx("deletionProtection")),
    ...(typeof synth === "string" ? { synth } : {}),
    ...(typeof stackName === "string" ? { stackName } : {}),
  };
}

/** Adds the seed's stack (and the cdk-nag checks) to `app`. */
export function buildProjApp(app: App, options: ProjAppOptions = {}): ProjStack {
  if (options.synth !== undefined && options.synth !== "nobsv" && options.synth !== "default") {
    throw new Error(`Unknown -c synth=${options.synth}; use 'nobsv' (moto) or leave it out.`);
  }
  const { synth, stackName, nag, ...stackOptions } = options;
  const stack = new ProjStack(app, stackName ?? process.env.CELERIAC_STACK ?? "CeleriacProj", {
    ...stackOptions,
    description: "Celeriac: the seed project 'proj' on SQS + Lambda + DynamoDB",
    ...(synth === "nobsv"
      ? { synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }) }
      : {}),
  });
  // cdk-nag 3 is a policy validation plugin: any finding not acknowledged with
  // Validations.of(construct).acknowledge() fails the synth.
  if (nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return stack;
}
