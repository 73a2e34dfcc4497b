import "cdktf/lib/testing/adapters/jest";
import { synthAll } from "./helpers";

// One snapshot per stack of the shipped configuration: any change to the synthesized Terraform
// shows up in review as a snapshot diff (`npx jest -u` after checking it is intended).
const stacks = synthAll();

test("the shipped configuration gives one stack per cloud and environment", () => {
  expect(Object.keys(stacks).sort()).toEqual(["gcp-production", "gcp-staging", "scaleway-production", "scaleway-staging"]);
});

test.each(Object.keys(stacks))("%s matches its snapshot", (name) => {
  expect(stacks[name]).toMatchSnapshot();
});
