import { Duration } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { DLQ_SUFFIX } from "../../runtime/adapters/sqs/queue-names.js";
import type { ResolvedProps } from "./props.js";

/** SQS's largest message: 1 MiB (aws-cdk-lib accepts it for `maxMessageSizeBytes`). */
export const MAX_MESSAGE_SIZE_BYTES = 1_048_576;
/** How long a dead-letter queue keeps a message: SQS's maximum. */
export const DLQ_RETENTION = Duration.days(14);

/** One routing key's queue, its dead-letter queue and the alarm on the latter's depth. */
export interface RoutingKeyQueues {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly alarm: cloudwatch.Alarm;
}

/**
 * The queues of one routing key: a standard queue named `${appName}-${key}` (SSE with
 * SQS-managed keys, TLS only, 1 MiB messages, visibility 6 × the function timeout) whose
 * redrive policy moves a message to `${appName}-${key}-dlq` after `maxReceiveCount`
 * receives, and an alarm as soon as the dead-letter queue holds a message.
 */
export class RoutingKeyQueuesConstruct extends Construct implements RoutingKeyQueues {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly alarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, key: string, config: ResolvedProps) {
    super(scope, id);
    const name = config.queueNames.get(key)!;

    this.deadLetterQueue = new sqs.Queue(this, "DeadLetterQueue", {
      queueName: `${name}${DLQ_SUFFIX}`,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: DLQ_RETENTION,
      maxMessageSizeBytes: MAX_MESSAGE_SIZE_BYTES,
    });

    this.queue = new sqs.Queue(this, "Queue", {
      queueName: name,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      maxMessageSizeBytes: MAX_MESSAGE_SIZE_BYTES,
      visibilityTimeout: config.visibilityTimeout,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: config.maxReceiveCount },
    });

    this.alarm = new cloudwatch.Alarm(this, "DeadLetterAlarm", {
      alarmDescription: `Messages for routing key '${key}' of app '${config.appName}' reached the dead-letter queue ${name}${DLQ_SUFFIX} after ${config.maxReceiveCount} receives.`,
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
