import { describeFaultSuite } from "../support/faults/suite.js";

describeFaultSuite({
  suite: "batch sends in part",
  sqs: { failPart: 0.5 },
  expectKinds: ["send-partial"],
});
