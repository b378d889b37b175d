/**
 * The parts of Lambda's SQS event and batch response that Celeriac reads and writes,
 * written out here so the library needs no Lambda types package.
 */

/** One record of an SQS event, as Lambda's event source mapping builds it. */
export interface SqsEventRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: {
    ApproximateReceiveCount: string;
    SentTimestamp?: string;
    ApproximateFirstReceiveTimestamp?: string;
    SenderId?: string;
    [name: string]: string | undefined;
  };
  messageAttributes: Record<string, unknown>;
  md5OfBody: string;
  eventSource: "aws:sqs";
  eventSourceARN: string;
  awsRegion: string;
}

/** What Lambda passes to an SQS-triggered function. */
export interface SqsEvent {
  Records: SqsEventRecord[];
}

/** The partial batch response (`ReportBatchItemFailures`): the records to deliver again. */
export interface SqsBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}
