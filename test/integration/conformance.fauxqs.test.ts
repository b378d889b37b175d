import { describeBroker } from "../conformance/broker.suite.js";
import { localAwsTarget } from "../support/emulators.js";
import { sqsBrokerFactory } from "../support/sqs-harness.js";

// DynamoDBBackend on dynalite runs the result-backend suite in test/adapters/dynamodb.
describeBroker("SqsBroker on fauxqs", sqsBrokerFactory(localAwsTarget().sqsEndpoint));
