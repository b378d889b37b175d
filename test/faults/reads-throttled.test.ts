import { describeFaultSuite } from "../support/faults/suite.js";

describeFaultSuite({
  suite: "reads throttled",
  dynamodb: { readThrottle: 0.2 },
  expectKinds: ["read-throttled"],
});
