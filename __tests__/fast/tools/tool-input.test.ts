import { cpSync, writeFileSync } from "fs";
import path from "path";
import { userPath } from "../../../input/user-path";
import { ROOT, tempDir } from "../../helpers/helpers";

// What the tools say about the recordings they were given, as a new user gives them: the file and
// what it holds instead of what it should. Never a JavaScript error's text. What the tools say run
// as processes (paths, locks, endpoints, a step that hangs): __tests__/real/tools/tool-input.real.test.ts.
const { readRecordings } = require("../../../scripts/rehearse/recordings");

describe("recordings that are not what their name says", () => {
  const live = () => {
    const dir = tempDir("live-");
    cpSync(path.join(ROOT, "live", "gcp-staging"), dir, { recursive: true });
    return dir;
  };

  test("a network's JSON saved as redis.<name>.json: the file, what it should hold and what it holds (it used to say the file was not there)", () => {
    const dir = live();
    cpSync(path.join(dir, "network.staging-vpc.json"), path.join(dir, "redis.staging-redis-f1adc35c.json"));
    expect(() => readRecordings(userPath(dir))).toThrow(
      `${dir}/redis.staging-redis-f1adc35c.json: not a Memorystore instance as gcloud redis instances describe prints it: name "staging-vpc" is not an instance's name (projects/<project>/locations/<region>/instances/<name>); it holds a compute#network named "staging-vpc"; record it again with: gcloud redis instances describe staging-redis-f1adc35c --region <region> --project <project> --format=json > ${dir}/redis.staging-redis-f1adc35c.json`,
    );
  });

  test("a recording missing a field (--format='json(name)'): the field (it used to be `Cannot read properties of undefined (reading 'replace')`)", () => {
    const dir = live();
    writeFileSync(path.join(dir, "network.staging-vpc.json"), '{"name": "staging-vpc"}');
    expect(() => readRecordings(userPath(dir))).toThrow(
      `${dir}/network.staging-vpc.json: not a VPC network as gcloud compute networks describe prints it: selfLink is missing; it holds an object named "staging-vpc" with name; record it again with`,
    );
  });

  test("another object's recording under this name, and subnets of another network", () => {
    const dir = live();
    cpSync(path.join(dir, "redis.staging-redis-f1adc35c.json"), path.join(dir, "redis.staging-redis.json"));
    expect(() => readRecordings(userPath(dir))).toThrow(`${dir}/redis.staging-redis.json: holds staging-redis-f1adc35c, not staging-redis; name the file redis.staging-redis-f1adc35c.json`);
    const other = live();
    cpSync(path.join(other, "subnets.staging-vpc.json"), path.join(other, "subnets.other-vpc.json"));
    expect(() => readRecordings(userPath(other))).toThrow(`${other}/subnets.other-vpc.json: subnet staging-vpc is in network staging-vpc, not other-vpc`);
  });

  test("the shipped recordings read as they are", () => {
    for (const stack of ["gcp-staging", "scaleway-staging"]) expect(readRecordings(userPath(path.join(ROOT, "live", stack))).length).toBeGreaterThan(0);
  });
});
