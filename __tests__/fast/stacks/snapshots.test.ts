import "cdktf/lib/testing/adapters/jest";
import { stackNames, strings, synthAll } from "../../helpers/helpers";

// One snapshot per stack of the shipped configuration: any change to the synthesized Terraform
// shows up in review as a snapshot diff (`npx jest -u` after checking it is intended).
const stacks = synthAll();

test("the shipped configuration gives one stack per cloud and environment, and a state bootstrap stack for each", () => {
  expect(Object.keys(stacks).sort()).toEqual([...stackNames(), ...stackNames().map((stack) => `state-${stack}`)].sort());
});

test("every environment stack keeps its state in a bucket: a CI runner's local state is lost when its job ends", () => {
  for (const stack of stackNames()) expect([stack, Object.keys(stacks[stack].terraform.backend)]).toEqual([stack, [stack.startsWith("gcp-") ? "gcs" : "s3"]]);
});

test.each(Object.keys(stacks))("%s matches its snapshot", (name) => {
  expect(stacks[name]).toMatchSnapshot();
});

test.each(Object.keys(stacks))("%s holds no literal secret", (name) => {
  for (const [at, value] of strings(stacks[name])) {
    // The attribute path, not the resource type (google_secret_manager_secret names no secret).
    const attribute = at.startsWith("resource.") ? at.split(".").slice(3).join(".") : at;
    if (/password|secret_data|secret_environment|token|private_key|auth_string/i.test(attribute)) expect({ at, value }).toEqual({ at, value: expect.stringMatching(/^[^$]*\$\{/) });
  }
});

test.each(Object.keys(stacks))("%s exposes generated secrets only in sensitive outputs", (name) => {
  for (const [output, body] of Object.entries<any>(stacks[name].output ?? {})) {
    if (!body.sensitive) expect({ output, value: JSON.stringify(body.value) }).not.toEqual({ output, value: expect.stringMatching(/random_password/) });
  }
});
