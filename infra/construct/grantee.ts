import type * as iam from "aws-cdk-lib/aws-iam";

/** Compute whose environment can be set: a Lambda function (`lambda.Function`). */
export interface EnvironmentTarget {
  addEnvironment(key: string, value: string): unknown;
}

/**
 * Whom `grantSend` and `grantResultRead` grant to: any `IGrantable` (a role, a Lambda
 * function, an ECS task definition's task role…); one with `addEnvironment` (a Lambda
 * function) also gets the environment set.
 */
export type CeleriacGrantee = iam.IGrantable & Partial<EnvironmentTarget>;

/** What a grant did, and what the grantee's code needs to reach the app. */
export interface CeleriacGrant {
  /** The statements added to the grantee's principal policy. */
  readonly statements: readonly iam.PolicyStatement[];
  /**
   * `CELERIAC_BROKER`, `CELERIAC_BACKEND` and `CELERIAC_QUEUE_URLS`: already set on a
   * Lambda function; give them to other compute yourself (tokens, resolved at deploy).
   */
  readonly environment: Readonly<Record<string, string>>;
  /** Whether `environment` was set on the grantee (it has `addEnvironment`). */
  readonly environmentSet: boolean;
  /** Whether the principal took the statements (false for an imported, immutable role). */
  readonly statementsAdded: boolean;
}

/** Adds `statements` to the grantee's principal and, where it can, sets `environment`. */
export function grantTo(
  grantee: CeleriacGrantee,
  statements: readonly iam.PolicyStatement[],
  environment: Readonly<Record<string, string>>,
): CeleriacGrant {
  let statementsAdded = true;
  for (const statement of statements) {
    const added = grantee.grantPrincipal.addToPrincipalPolicy(statement);
    statementsAdded &&= added.statementAdded;
  }
  const target = grantee.addEnvironment;
  if (typeof target === "function") {
    for (const [name, value] of Object.entries(environment)) target.call(grantee, name, value);
  }
  return {
    statements,
    environment,
    environmentSet: typeof target === "function",
    statementsAdded,
  };
}
