import { readFileSync } from "fs";
import * as path from "path";
import { synthAll } from "../../helpers/helpers";
import { ROOT } from "../../helpers/helpers";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { diffStacks, formatMarkdown, formatText } = require("../../../scripts/synth-diff");


describe("diffStacks", () => {
  const base = {
    app: {
      resource: {
        google_compute_firewall: { redis: { name: "a", allow: [{ protocol: "tcp", ports: ["6379"] }], "//": { metadata: {} } } },
        scaleway_redis_cluster: { main: { password: "${random_password.redis.result}", tags: ["x"] } },
      },
      output: { info: { value: { url: "redis://u:p@h" }, sensitive: true } },
    },
    gone: { resource: { google_compute_network: { vpc: { name: "v" } } } },
  };
  const head = {
    app: {
      resource: {
        google_compute_firewall: { redis: { name: "b", allow: [{ protocol: "tcp", ports: ["6380"] }], "//": { metadata: { path: "x" } } } },
        scaleway_redis_cluster: { main: { password: "${random_password.other.result}", tags: ["x"] } },
        google_compute_router: { router: { count: 1 } },
      },
      output: { info: { value: { url: "rediss://u:p@h" }, sensitive: true } },
    },
  };
  const result = diffStacks(base, head, { google_compute_firewall: ["name", "network"] });

  test("reports added, removed and changed items with attribute paths, ignoring metadata", () => {
    const app = result.stacks.find((s: any) => s.name === "app");
    expect(app.changes.map((c: any) => [c.action, c.address])).toEqual([
      ["replace", "google_compute_firewall.redis"],
      ["add", "google_compute_router.router"],
      ["update", "output.info"],
      ["unknown", "scaleway_redis_cluster.main"],
    ]);
    expect(app.changes[0].attributes).toEqual([
      { path: "allow[0].ports[0]", old: "6379", new: "6380", replace: false },
      { path: "name", old: "a", new: "b", replace: true },
    ]);
    expect(result.stacks.find((s: any) => s.name === "gone").status).toBe("removed stack");
    expect(result.changed).toBe(true);
  });

  test("masks secrets and sensitive outputs", () => {
    const text = formatText(result);
    expect(text).toContain('password: "(sensitive)" → "(sensitive)"');
    expect(text).toContain('value.url: "(sensitive)" → "(sensitive)"');
    expect(text).not.toContain("random_password.other");
    expect(text).not.toContain("rediss://");
  });

  test("renders a pull-request comment", () => {
    const markdown = formatMarkdown(result);
    expect(markdown).toContain("### `app`: 1 to add, 1 to update, 1 to replace, 0 to remove, 1 maybe replaced (replacement unknown)");
    expect(markdown).toContain("| **replacement unknown** | `scaleway_redis_cluster.main` | `password` ⚠️ replacement unknown |");
    expect(markdown).toContain("| **replace** | `google_compute_firewall.redis` | `name` ⚠️ forces replacement | `\"a\"` | `\"b\"` |");
  });

  test("a type without replacement rules is never shown as an update", () => {
    const text = formatText(result);
    expect(text).toContain("?/+ scaleway_redis_cluster.main  (replacement unknown: no replacement rules for this type; plan it)");
    expect(text).toContain('password: "(sensitive)" → "(sensitive)"  [replacement unknown]');
  });

  test("no change, no diff", () => {
    expect(diffStacks(base, base).changed).toBe(false);
  });
});

describe("the replacement rules (providers/force-new.json, read from the providers' schemas)", () => {
  const forceNew = JSON.parse(readFileSync(path.join(ROOT, "providers", "force-new.json"), "utf8"));
  const used = JSON.parse(readFileSync(path.join(ROOT, "providers", "used-types.json"), "utf8"));

  test("cover every resource type the project uses, or name it unknown", () => {
    const types = Object.values(used).flatMap((p: any) => p.resources).sort();
    expect([...Object.keys(forceNew.resources), ...forceNew.unknown].sort()).toEqual(types);
    expect(forceNew.unknown).toEqual(["random_password"]);
  });

  test("every type a synthesized stack holds is listed in providers/used-types.json", () => {
    const types = Object.values(used).flatMap((p: any) => p.resources);
    for (const stack of Object.values(synthAll())) for (const type of Object.keys(stack.resource)) expect(types).toContain(type);
  });

  test.each([
    ["google_redis_instance", "tier", "STANDARD_HA"],
    ["google_redis_instance", "transit_encryption_mode", "SERVER_AUTHENTICATION"],
    ["google_secret_manager_secret_version", "secret_data", "x"],
    ["scaleway_redis_cluster", "tls_enabled", true],
  ])("%s %s is a replacement", (type, attribute, value) => {
    const stack = (body: object) => ({ s: { resource: { [type]: { main: body } } } });
    const diff = diffStacks(stack({ [attribute]: "old" }), stack({ [attribute]: value }), forceNew.resources);
    expect(diff.stacks[0].changes[0].action).toBe("replace");
  });
});
