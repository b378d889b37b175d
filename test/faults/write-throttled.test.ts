import { describeFaultSuite } from "../support/faults/suite.js";

describeFaultSuite({
  suite: "writes throttled",
  dynamodb: { writeBefore: 0.2 },
  expectKinds: ["write-throttled"],
});
