import { TerraformStack, Testing } from "cdktf";
import { CloudRunService, CloudRunServiceProps } from "../../../constructs/gcp/cloud-run-service";
import { DirectVpcEgress } from "../../../constructs/gcp/direct-vpc-egress";
import { Network } from "../../../constructs/gcp/network";
import { VpcConnector } from "../../../constructs/gcp/vpc-connector";
import { BackendContainer, BackendContainerProps } from "../../../constructs/scaleway/compute";
import { PrivateNetwork } from "../../../constructs/scaleway/network";
import { resourceAt } from "../../helpers/helpers";

// The serverless constructs check their own props and fill Cloud Run's and Scaleway's defaults:
// they are reusable outside this app's validated config.
const SECRET = "fr-par/11111111-2222-3333-4444-555555555555";

function synthesized(scope: TerraformStack): { resource: Record<string, Record<string, any>>; data: Record<string, Record<string, any>>; import?: any[] } {
  return JSON.parse(Testing.synth(scope));
}

describe("CloudRunService", () => {
  type Vpc = "connector" | "direct";
  function service(overrides: Partial<CloudRunServiceProps> = {}, vpc: Vpc = "connector") {
    const scope = new TerraformStack(Testing.app(), "test");
    const network = new Network(scope, "network", { name: "test-vpc", logicalId: "vpc" });
    const vpcAccess = vpc === "connector"
      ? { connector: new VpcConnector(scope, "connector", { network, region: "us-central1", name: "test-connector", subnetName: "test-subnet", ipCidrRange: "10.8.0.0/28" }) }
      : { direct: new DirectVpcEgress(scope, "direct", { network, region: "us-central1", subnetName: "test-run", ipCidrRange: "10.8.0.0/26", networkTag: "run" }) };
    const props: CloudRunServiceProps = {
      name: "backend",
      region: "us-central1",
      serviceAccountId: "backend-run",
      image: "us-docker.pkg.dev/p/r/backend:1",
      vpcAccess,
      secretEnvironment: { REDIS_HOST: { logicalId: "redis_host", id: "projects/p/secrets/host", secretId: "host", version: "3", counted: false } },
      invoker: "allUsers",
      deletionProtection: true,
      ...overrides,
    };
    return { scope, built: new CloudRunService(scope, "backend", props) };
  }
  const resources = (overrides: Partial<CloudRunServiceProps> = {}, vpc: Vpc = "connector") => synthesized(service(overrides, vpc).scope).resource;

  test.each([
    [{ name: "Backend" }, 'test/backend: name "Backend" must be'],
    [{ name: "b".repeat(50) }, `test/backend: name "${"b".repeat(50)}" must be`],
    [{ healthPath: "health" }, 'test/backend: healthPath "health" must be an HTTP path starting with "/"'],
    [{ livenessPath: "/a b" }, 'test/backend: livenessPath "/a b" must be an HTTP path'],
    [{ serviceAccountId: "run" }, 'test/backend: serviceAccountId "run" must be'],
    [{ minInstances: -1 }, "test/backend: minInstances -1 "],
    [{ minInstances: 101 }, "test/backend: minInstances 101 "],
    [{ minInstances: 4, maxInstances: 3 }, "test/backend: maxInstances 3 must be an integer from 4 to 1000"],
    [{ maxInstances: 0 }, "test/backend: maxInstances 0 must be an integer from 1 to 1000"],
    [{ secretReferences: { API_KEY: { secret: "api key", version: "latest" } } }, 'test/backend: secretReferences.API_KEY.secret "api key" must be at most 255 letters'],
    [{ secretReferences: { API_KEY: { secret: "api-key", version: "0" } } }, 'test/backend: secretReferences.API_KEY.version "0" must be "latest" or a version number'],
    [{ timeoutSeconds: 0 }, "test/backend: timeoutSeconds 0 must be an integer from 1 to 3600"],
    [{ timeoutSeconds: 3601 }, "test/backend: timeoutSeconds 3601 "],
    [{ concurrency: 0 }, "test/backend: concurrency 0 must be an integer from 1 to 1000"],
    [{ applicationEnvironment: { PORT: "1" } }, "test/backend: applicationEnvironment.PORT "],
    [{ applicationEnvironment: { API_TOKEN: "abc" } }, 'test/backend: applicationEnvironment.API_TOKEN "(value hidden)" is named like a secret'],
    [{ secretReferences: { PORT: { secret: "port", version: "latest" } } }, 'test/backend: secretReferences.PORT "PORT" is set by the platform itself'],
    [{ applicationEnvironment: { FEATURES: "a,b" }, secretReferences: { FEATURES: { secret: "features", version: "latest" } } }, 'test/backend: secretReferences.FEATURES "FEATURES" is also in applicationEnvironment'],
  ])("rejects %j", (overrides, message) => {
    expect(() => service(overrides)).toThrow(message);
  });

  test("defaults: public ingress, 0 to 3 instances, port 8080, the probes on /health and /healthz, and Cloud Run's own timeout and concurrency", () => {
    const run = resources().google_cloud_run_v2_service.backend;
    expect(run).toMatchObject({ name: "backend", location: "us-central1", ingress: "INGRESS_TRAFFIC_ALL", deletion_protection: true });
    expect(run.invoker_iam_disabled).toBeUndefined();
    expect(run.template.scaling).toEqual({ min_instance_count: 0, max_instance_count: 3 });
    expect(run.template.timeout).toBeUndefined();
    expect(run.template.max_instance_request_concurrency).toBeUndefined();
    expect(run.template.vpc_access).toEqual({ connector: "${google_vpc_access_connector.connector.id}", egress: "PRIVATE_RANGES_ONLY" });
    const [container] = run.template.containers;
    expect(container.ports).toEqual({ container_port: 8080 });
    expect(container.startup_probe).toEqual({ http_get: { path: "/health" }, period_seconds: 5, timeout_seconds: 3, failure_threshold: 24 });
    expect(container.liveness_probe).toEqual({ http_get: { path: "/healthz" }, period_seconds: 30, timeout_seconds: 5, failure_threshold: 3 });
    expect(container.env).toEqual([{ name: "REDIS_HOST", value_source: { secret_key_ref: { secret: "host", version: "3" } } }]);
  });

  test("settings given are written: instances, timeout, concurrency, protocol, probes' paths, Direct VPC egress, invoker IAM off", () => {
    const run = resources({
      minInstances: 1, maxInstances: 5, timeoutSeconds: 60, concurrency: 10, protocol: "h2c", port: 9000, healthPath: "/ready", livenessPath: "/live",
      ingress: "INGRESS_TRAFFIC_INTERNAL_ONLY", executionEnvironment: "EXECUTION_ENVIRONMENT_GEN2", invoker: "invokerIamDisabled", deletionProtection: false, labels: { team: "a" },
    }, "direct").google_cloud_run_v2_service.backend;
    expect(run).toMatchObject({ ingress: "INGRESS_TRAFFIC_INTERNAL_ONLY", invoker_iam_disabled: true, deletion_protection: false, labels: { team: "a" } });
    expect(run.template).toMatchObject({ scaling: { min_instance_count: 1, max_instance_count: 5 }, timeout: "60s", max_instance_request_concurrency: 10, execution_environment: "EXECUTION_ENVIRONMENT_GEN2" });
    expect(run.template.vpc_access).toEqual({ network_interfaces: [{ network: "${google_compute_network.vpc.name}", subnetwork: "${google_compute_subnetwork.direct_subnet.name}", tags: ["run"] }], egress: "PRIVATE_RANGES_ONLY" });
    expect(run.template.containers[0].ports).toEqual({ container_port: 9000, name: "h2c" });
    expect(run.template.containers[0].startup_probe.http_get.path).toBe("/ready");
    expect(run.template.containers[0].liveness_probe.http_get.path).toBe("/live");
  });

  test("the account reads each secret once, named for it; the service waits for every grant; the public invoker only for allUsers", () => {
    const all = resources({
      environment: { REDIS_TLS: "true" },
      applicationEnvironment: { LOG_LEVEL: "info" },
      secretReferences: { API_KEY: { secret: "api-key", version: "latest" }, API_KEY_OLD: { secret: "api-key", version: "2" } },
    });
    expect(all.google_service_account.backend).toEqual({ account_id: "backend-run", display_name: "Cloud Run service backend" });
    expect(Object.keys(all.google_secret_manager_secret_iam_member).sort()).toEqual(["backend_app_api-key", "backend_redis_host"]);
    const member = "${google_service_account.backend.member}";
    expect(all.google_secret_manager_secret_iam_member.backend_redis_host).toEqual({ secret_id: "projects/p/secrets/host", role: "roles/secretmanager.secretAccessor", member });
    expect(all.google_secret_manager_secret_iam_member["backend_app_api-key"]).toEqual({ secret_id: "api-key", role: "roles/secretmanager.secretAccessor", member });
    const run = all.google_cloud_run_v2_service.backend;
    expect(run.depends_on).toEqual(["google_secret_manager_secret_iam_member.backend_redis_host", "google_secret_manager_secret_iam_member.backend_app_api-key"]);
    expect(run.template.service_account).toBe("${google_service_account.backend.email}");
    expect(run.template.containers[0].env.map((e: any) => e.name)).toEqual(["REDIS_TLS", "LOG_LEVEL", "API_KEY", "API_KEY_OLD", "REDIS_HOST"]);
    expect(run.template.containers[0].env[3]).toEqual({ name: "API_KEY_OLD", value_source: { secret_key_ref: { secret: "api-key", version: "2" } } });
    expect(all.google_cloud_run_v2_service_iam_member.backend_public_invoker).toEqual({
      count: 1, project: "${google_cloud_run_v2_service.backend.project}", location: "${google_cloud_run_v2_service.backend.location}", name: "${google_cloud_run_v2_service.backend.name}", role: "roles/run.invoker", member: "allUsers",
    });
    expect(resources({ invoker: "authenticated" } as any).google_cloud_run_v2_service_iam_member).toBeUndefined();
  });

  test("a counted secret's grant is counted too, and the addresses follow the table when given", () => {
    const all = resources({
      secretEnvironment: { REDIS_CA: { logicalId: "redis_ca", id: "projects/p/secrets/ca", secretId: "ca", version: "1", counted: true } },
      secretReferences: { API_KEY: { secret: "api-key", version: "latest" } },
      addresses: { service: "api", secretAccess: (s) => `grant_${s}`, applicationSecretAccess: (s) => `app_${s.replace(/-/g, "_")}`, publicInvoker: "open" },
    });
    expect(Object.keys(all.google_secret_manager_secret_iam_member).sort()).toEqual(["app_api_key", "grant_redis_ca"]);
    expect(all.google_secret_manager_secret_iam_member.grant_redis_ca.count).toBe(1);
    expect(all.google_secret_manager_secret_iam_member.app_api_key.count).toBeUndefined();
    expect(Object.keys(all.google_cloud_run_v2_service)).toEqual(["api"]);
    expect(Object.keys(all.google_service_account)).toEqual(["api"]);
    expect(Object.keys(all.google_cloud_run_v2_service_iam_member)).toEqual(["open"]);
  });

  test("waitFor adds dependencies to the service, keeping the grants", () => {
    const { scope, built } = service();
    built.waitFor(resourceAt(scope.node.findChild("network"), "google_compute_network.vpc"));
    expect(synthesized(scope).resource.google_cloud_run_v2_service.backend.depends_on).toEqual(["google_secret_manager_secret_iam_member.backend_redis_host", "google_compute_network.vpc"]);
  });
});

describe("BackendContainer", () => {
  function container(overrides: Partial<BackendContainerProps> = {}) {
    const scope = new TerraformStack(Testing.app(), "test");
    const privateNetwork = PrivateNetwork.fromId(scope, "network", { id: "fr-par/22222222-2222-3333-4444-555555555555" });
    const props: BackendContainerProps = {
      namespaceName: "backend-ns", containerName: "backend", region: "fr-par", image: "rg.fr-par.scw.cloud/r/backend:1", port: 8080,
      minScale: 1, maxScale: 2, cpuLimit: 560, memoryLimitBytes: 1073741824, privateNetwork, secretEnvironmentVariables: { REDIS_PASSWORD: "pw" }, tags: ["backend"],
      ...overrides,
    };
    new BackendContainer(scope, "backend", props);
    return synthesized(scope);
  }

  test.each([
    [{ minScale: 3, maxScale: 2 }, "test/backend: maxScale 2 must be an integer of at least 3"],
    [{ minScale: 0, maxScale: 0 }, "test/backend: maxScale 0 must be an integer of at least 1"],
    [{ healthPath: "x" }, 'test/backend: healthPath "x" must be an HTTP path'],
    [{ livenessPath: "/a?b" }, 'test/backend: livenessPath "/a?b" must be an HTTP path'],
    [{ applicationEnvironment: { SCW_X: "1" } }, "test/backend: applicationEnvironment.SCW_X "],
    [{ secretReferences: { API_KEY: { secret: "api-key", version: "latest" } } }, 'test/backend: secretReferences.API_KEY.secret "api-key" must be a Scaleway Secret Manager secret ID'],
    [{ secretReferences: { API_KEY: { secret: SECRET, version: "newest" } } }, 'test/backend: secretReferences.API_KEY.version "newest" must be "latest", "latest_enabled" or a revision number'],
    [{ secretReferences: { API_KEY: { secret: SECRET.replace("fr-par", "nl-ams"), version: "latest" } } }, 'test/backend: secretReferences.API_KEY.secret "nl-ams/11111111-2222-3333-4444-555555555555" must lie in fr-par, the container\'s region'],
    [{ timeoutSeconds: 9 }, "test/backend: timeoutSeconds 9 must be an integer from 10 to 3600"],
    [{ concurrency: 81 }, "test/backend: concurrency 81 must be an integer from 1 to 80"],
  ])("rejects %j", (overrides, message) => {
    expect(() => container(overrides)).toThrow(message);
  });

  test("defaults: HTTPS only, probes on /health and /healthz, Scaleway's own timeout and scaling, the namespace tagged like the container", () => {
    const { resource, data } = container();
    const backend = resource.scaleway_container.backend;
    expect(backend).toMatchObject({ name: "backend", namespace_id: "${scaleway_container_namespace.backend_namespace.id}", https_connections_only: true, private_network_id: "fr-par/22222222-2222-3333-4444-555555555555", min_scale: 1, max_scale: 2 });
    for (const key of ["timeout", "scaling_option", "privacy", "protocol", "sandbox"]) expect(backend[key]).toBeUndefined();
    expect(backend.startup_probe).toEqual({ http: { path: "/health" }, interval: "5s", timeout: "3s", failure_threshold: 24 });
    expect(backend.liveness_probe).toEqual({ http: { path: "/healthz" }, interval: "30s", timeout: "5s", failure_threshold: 3 });
    expect(backend.environment_variables).toEqual({});
    expect(backend.secret_environment_variables).toEqual({ REDIS_PASSWORD: "pw" });
    expect(resource.scaleway_container_namespace.backend_namespace).toEqual({ name: "backend-ns", region: "fr-par", tags: ["backend"] });
    expect(data).toBeUndefined();
  });

  test("settings given are written, application secrets are read once each and passed as secrets, imports name the live objects", () => {
    const json = container({
      timeoutSeconds: 60, concurrency: 20, privacy: "private", protocol: "h2c", sandbox: "v2", namespaceTags: ["ns"], minScale: 0, maxScale: 1,
      environmentVariables: { REDIS_TLS: "true" }, applicationEnvironment: { LOG_LEVEL: "info" },
      secretReferences: { API_KEY: { secret: SECRET, version: "2" } },
      importIds: { namespace: "fr-par/33333333-2222-3333-4444-555555555555", container: "fr-par/44444444-2222-3333-4444-555555555555" },
    });
    const backend = json.resource.scaleway_container.backend;
    expect(backend).toMatchObject({ timeout: 60, scaling_option: [{ concurrent_requests_threshold: 20 }], privacy: "private", protocol: "h2c", sandbox: "v2", min_scale: 0, max_scale: 1 });
    expect(backend.environment_variables).toEqual({ LOG_LEVEL: "info", REDIS_TLS: "true" });
    expect(backend.secret_environment_variables).toEqual({ API_KEY: "${base64decode(data.scaleway_secret_version.backend_api_key.data)}", REDIS_PASSWORD: "pw" });
    expect(json.data.scaleway_secret_version.backend_api_key).toEqual({ secret_id: SECRET, revision: "2", region: "fr-par" });
    expect(json.resource.scaleway_container_namespace.backend_namespace.tags).toEqual(["ns"]);
    expect(json.import).toEqual([
      { to: "scaleway_container_namespace.backend_namespace", id: "fr-par/33333333-2222-3333-4444-555555555555" },
      { to: "scaleway_container.backend", id: "fr-par/44444444-2222-3333-4444-555555555555" },
    ]);
  });

  test("the addresses follow the table when given", () => {
    const json = container({ secretReferences: { API_KEY: { secret: SECRET, version: "latest" } }, addresses: { namespace: "ns", container: "app", applicationSecret: (v) => `read_${v}` } });
    expect(Object.keys(json.resource.scaleway_container_namespace)).toEqual(["ns"]);
    expect(Object.keys(json.resource.scaleway_container)).toEqual(["app"]);
    expect(Object.keys(json.data.scaleway_secret_version)).toEqual(["read_API_KEY"]);
  });
});
