import { stackNames, strings, Synthesized, synthAll } from "../../helpers/helpers";

// One snapshot per stack of the shipped configuration: any change to the synthesized Terraform
// shows up in review as a snapshot diff (`npx jest -u` after checking it is intended).
// Synthesized in a hook, not at load: a synth that throws fails the tests instead of the file.
let stacks: Record<string, Synthesized>;
beforeAll(() => (stacks = synthAll()));
const everyStack = [...stackNames(), ...stackNames().map((stack) => `state-${stack}`)].sort();

test("the shipped configuration gives one stack per cloud and environment, and a state bootstrap stack for each", () => {
  expect(Object.keys(stacks).sort()).toEqual(everyStack);
});

test("every environment stack keeps its state in a bucket: a CI runner's local state is lost when its job ends", () => {
  for (const stack of stackNames()) expect([stack, Object.keys(stacks[stack].terraform.backend)]).toEqual([stack, [stack.startsWith("gcp-") ? "gcs" : "s3"]]);
});

test.each(everyStack)("%s matches its snapshot", (name) => {
  expect(stacks[name]).toMatchSnapshot();
});

test.each(everyStack)("%s holds no literal secret", (name) => {
  for (const [at, value] of strings(stacks[name])) {
    // The attribute path, not the resource type (google_secret_manager_secret names no secret).
    const attribute = at.startsWith("resource.") ? at.split(".").slice(3).join(".") : at;
    if (/password|secret_data|secret_environment|token|private_key|auth_string/i.test(attribute)) expect({ at, value }).toEqual({ at, value: expect.stringMatching(/^[^$]*\$\{/) });
  }
});

/** What a backend reads in plain sight: Cloud Run's literal `env` values and Scaleway's `environment_variables`. */
function plainEnvironment(stack: any): Record<string, string> {
  const cloudRun = Object.values<any>(stack.resource?.google_cloud_run_v2_service ?? {}).flatMap((service) => service.template.containers.flatMap((c: any) => c.env ?? []));
  const containers = Object.values<any>(stack.resource?.scaleway_container ?? {});
  return {
    ...Object.fromEntries(cloudRun.filter((variable) => "value" in variable).map((variable) => [variable.name, variable.value])),
    ...Object.assign({}, ...containers.map((container) => container.environment_variables ?? {})),
  };
}

test.each(stackNames())("%s gives the backend no secret in a plain environment variable", (name) => {
  const plain = plainEnvironment(stacks[name]);
  expect(Object.keys(plain).length).toBeGreaterThanOrEqual(1);
  const secretish = Object.entries(plain).filter(([, value]) => /random_password|auth_string|secret_data|password|secret_version/i.test(String(value)));
  expect(secretish).toEqual([]);
});

test.each(everyStack)("%s exposes generated secrets only in sensitive outputs", (name) => {
  for (const [output, body] of Object.entries<any>(stacks[name].output ?? {})) {
    if (!body.sensitive) expect({ output, value: JSON.stringify(body.value) }).not.toEqual({ output, value: expect.stringMatching(/random_password/) });
  }
});
