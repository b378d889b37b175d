import { App, type Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { buildProjApp, type ProjAppOptions, type ProjStack } from "../../infra/proj-stack.js";

/** Prebuilt stand-in code, so that template-only tests skip esbuild. */
export const INLINE_CODE = lambda.Code.fromInline("export const handler = async () => ({});");

/** The seed's stack built in this process, without bundling unless `code` is overridden. */
export function projStack(options: ProjAppOptions = {}): { app: App; stack: ProjStack } {
  const app = new App();
  const stack = buildProjApp(app, { code: INLINE_CODE, nag: false, ...options });
  return { app, stack };
}

/** A CloudFormation resource as found in a template. */
export interface CfnResource {
  Type: string;
  Properties: Record<string, unknown>;
  DependsOn?: string[];
  DeletionPolicy?: string;
}

/** Policy statements as synthesized (Action and Resource may be a string or a list). */
export interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Principal?: unknown;
  Condition?: unknown;
}

export const asList = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

/** The logical id of the one resource of `type` whose properties match `props`. */
export function logicalId(
  template: Template,
  type: string,
  props: Record<string, unknown>,
): string {
  const found = Object.keys(template.findResources(type, { Properties: props }));
  if (found.length !== 1) throw new Error(`expected one ${type} matching, found ${found.length}`);
  return found[0]!;
}

/** `{ "Fn::GetAtt": [id, "Arn"] }` */
export const arnOf = (id: string) => ({ "Fn::GetAtt": [id, "Arn"] });

/** The statements of the identity policies attached to role `roleId`. */
export function roleStatements(template: Template, roleId: string): Statement[] {
  const policies = Object.values(
    template.findResources("AWS::IAM::Policy", {
      Properties: { Roles: [{ Ref: roleId }] },
    }),
  ) as unknown as CfnResource[];
  return policies.flatMap(
    (p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
  );
}

/** The logical id of the role a function runs with. */
export function roleOfFunction(template: Template, functionId: string): string {
  const fn = template.toJSON().Resources[functionId] as CfnResource;
  const role = fn.Properties.Role as { "Fn::GetAtt": [string, string] };
  return role["Fn::GetAtt"][0];
}

export function templateOf(stack: Stack): Template {
  return Template.fromStack(stack);
}
