import { type Duration, RemovalPolicy } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as nodejs from "aws-cdk-lib/aws-lambda-nodejs";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { logsStatement } from "./grants.js";

/**
 * Lines esbuild puts at the top of the ESM bundle so that CommonJS dependencies
 * (parts of the AWS SDK's tree) can still `require` Node's built-ins.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __celeriacCreateRequire } from 'node:module'; const require = __celeriacCreateRequire(import.meta.url);";

/**
 * Packages that only local runs use (the in-process emulators, the TypeScript loader):
 * never bundled, even when some code path names them.
 */
export const LOCAL_ONLY_MODULES = ["fauxqs", "dynalite", "tsx"];

/**
 * The bundling every Celeriac function uses: the locally installed esbuild (no Docker),
 * ESM output (`index.mjs`), the AWS SDK bundled rather than taken from the runtime,
 * minified with source maps.
 */
export function celeriacBundling(): nodejs.BundlingOptions {
  return {
    forceDockerBundling: false,
    format: nodejs.OutputFormat.ESM,
    mainFields: ["module", "main"],
    banner: ESM_REQUIRE_BANNER,
    bundleAwsSDK: true,
    externalModules: [...LOCAL_ONLY_MODULES],
    minify: true,
    sourceMap: true,
    sourcesContent: false,
  };
}

/** Where a {@link CeleriacFunction}'s code comes from. */
export type FunctionSource =
  | { readonly kind: "entry"; readonly entry: string; readonly projectRoot?: string | undefined }
  | { readonly kind: "code"; readonly code: lambda.Code };

/** Properties of {@link CeleriacFunction}. */
export interface CeleriacFunctionProps {
  /** The code: an entry file to bundle, or prebuilt code with handler `index.handler`. */
  readonly source: FunctionSource;
  /** The runtime (Node.js 22 or newer). */
  readonly runtime: lambda.Runtime;
  /** The processor architecture. @default lambda.Architecture.ARM_64 */
  readonly architecture?: lambda.Architecture;
  /** The function's timeout. */
  readonly timeout: Duration;
  /** Memory in MiB. @default 1024 */
  readonly memorySize?: number;
  /** Environment variables. @default - none */
  readonly environment?: Readonly<Record<string, string>>;
  /** The function's description. @default - none */
  readonly description?: string;
  /** Log retention. @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** What happens to the log group when it leaves the stack. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A Node.js function on arm64 with its own role and log group: the role starts with
 * nothing but `logs:CreateLogStream`/`logs:PutLogEvents` on that log group (no
 * AWSLambdaBasicExecutionRole, no log-retention custom resource, which moto could not
 * run); every other permission is added explicitly.
 *
 * @example
 * const producer = new CeleriacFunction(this, "Producer", {
 *   source: { kind: "entry", entry: "examples/producer/handler.ts" },
 *   runtime: lambda.Runtime.NODEJS_24_X,
 *   timeout: Duration.seconds(30),
 * });
 * service.grantSend(producer.fn);
 */
export class CeleriacFunction extends Construct {
  readonly fn: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: CeleriacFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, "Logs", {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.role = new iam.Role(this, "Role", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      ...(props.description ? { description: `Role of: ${props.description}` } : {}),
    });
    this.role.addToPrincipalPolicy(logsStatement(this.logGroup));

    const common = {
      runtime: props.runtime,
      architecture: props.architecture ?? lambda.Architecture.ARM_64,
      timeout: props.timeout,
      memorySize: props.memorySize ?? 1024,
      role: this.role,
      logGroup: this.logGroup,
      environment: { NODE_OPTIONS: "--enable-source-maps", ...props.environment },
      ...(props.description ? { description: props.description } : {}),
    } satisfies Partial<lambda.FunctionProps>;

    const source = props.source;
    this.fn =
      source.kind === "entry"
        ? new nodejs.NodejsFunction(this, "Function", {
            ...common,
            entry: source.entry,
            handler: "handler",
            ...(source.projectRoot ? { projectRoot: source.projectRoot } : {}),
            bundling: celeriacBundling(),
          })
        : new lambda.Function(this, "Function", {
            ...common,
            code: source.code,
            handler: "index.handler",
          });
  }
}
