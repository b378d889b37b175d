import { describeFaultSuite } from "../support/faults/suite.js";

describeFaultSuite({
  suite: "all faults together",
  sqs: { duplicate: 0.2, failWhole: 0.08, failPart: 0.1 },
  dynamodb: { writeBefore: 0.08, writeAfter: 0.08, readThrottle: 0.08 },
  expectKinds: [
    "duplicate-send",
    "send-failed",
    "write-throttled",
    "write-failed-after",
    "read-throttled",
  ],
});
