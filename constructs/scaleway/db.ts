import { Password } from "../../.gen/providers/random/password";
import { Fn, Token } from "cdktf";
import { Construct } from "constructs";
import { RedisCluster } from "../../.gen/providers/scaleway/redis-cluster";
import { REDIS, redisSettingProblem, redisUserNameProblem } from "../../limits/scaleway";
import { intProblem } from "../../limits/rule";
import { IPrivateNetwork } from "./network";
import { addressed, defaultAddress, ImportBlock } from "../addresses";
import { redisUrl } from "../redis-environment";
import { check, checkCidr, checkInt } from "../validate";

export interface RedisDatabaseProps {
  readonly name: string;
  /** Redis is zonal; the zone must lie in the private network's region. */
  readonly zone: string;
  readonly version: string;
  readonly nodeType: string;
  /** 1 (standalone), 2 (high availability: a main node and a standby) or at least 3 (cluster mode). @default 1 */
  readonly clusterSize?: number;
  readonly userName: string;
  /** Changing this replaces the cluster. */
  readonly tls: boolean;
  /** Bump to rotate the password. @default 1 */
  readonly passwordVersion?: number;
  /** The only endpoint: the cluster gets no public one (unless `publicAcl`). */
  readonly privateNetwork: IPrivateNetwork;
  /**
   * Keep the cluster's public endpoint, behind these rules, instead of attaching it to the private
   * network: only for a live cluster that has one, until the cut-over moves it (the provider gives
   * a cluster one or the other: `acl` conflicts with `private_network`). The rules must be the
   * live ones: any other set is written over them.
   */
  readonly publicAcl?: readonly AclRule[];
  /**
   * The live cluster's ID (`<zone>/<uuid>`): it is imported instead of created, and changes to
   * `tls_enabled` are ignored, since the provider never reads it back (after the import, any value
   * would plan a replacement). `tls` must still be the live setting: the rehearsal
   * (`npm run rehearse`) compares them.
   * @default none: the cluster is created
   */
  readonly importId?: string;
  /** Cluster settings, e.g. `{ "maxmemory-policy": "allkeys-lru" }`: only those Managed Redis lets a user set. @default none */
  readonly settings?: Record<string, string>;
  readonly tags: string[];
  /** Terraform address names of the cluster and its password. @default derived from the construct ID */
  readonly addresses?: { readonly cluster?: string; readonly password?: string };
}

export interface AclRule {
  /** IPv4 range in CIDR notation. */
  readonly ip: string;
  readonly description: string;
}

/**
 * Managed Redis reachable only from the private network (`db.tf`), with a generated password.
 * Scaleway's provider cannot give one cluster both a private and an ACL-guarded public endpoint
 * (`acl` conflicts with `private_network`), so there is deliberately no public option here.
 */
export class RedisDatabase extends Construct {
  /** The generated password; sensitive. */
  readonly password: string;
  /** Private IP of the endpoint, chosen by IPAM. */
  readonly host: string;
  readonly port: string;
  readonly userName: string;
  /** `redis://` or `rediss://` URL with URL-encoded credentials; sensitive. */
  readonly url: string;
  /** PEM of the CA that signs the cluster's certificate; only with TLS. */
  readonly caCertificate?: string;
  readonly tls: boolean;

  constructor(scope: Construct, id: string, props: RedisDatabaseProps) {
    super(scope, id);
    const clusterSize = props.clusterSize ?? REDIS.clusterSize.default;
    const passwordVersion = props.passwordVersion ?? REDIS.passwordVersion.default;
    check(this, "userName", props.userName, redisUserNameProblem(props.userName));
    checkInt(this, "passwordVersion", passwordVersion, REDIS.passwordVersion);
    check(this, "clusterSize", clusterSize, intProblem(REDIS.clusterSize, clusterSize) && "must be 1 (standalone), 2 (high availability) or at least 3 (cluster mode)");
    for (const [i, rule] of (props.publicAcl ?? []).entries()) checkCidr(this, `publicAcl[${i}].ip`, rule.ip);
    for (const [name, value] of Object.entries(props.settings ?? {})) check(this, `settings.${name}`, value, redisSettingProblem(name, value));

    // Scaleway wants upper, lower, digit and special characters; the URL below encodes them. A new
    // passwordVersion replaces the password (keepers) and re-sends it (password_wo_version).
    const password = addressed(new Password(this, "password", {
      length: 32, minUpper: 2, minLower: 2, minNumeric: 2, minSpecial: 2,
      keepers: { version: String(passwordVersion) },
    }), props.addresses?.password ?? defaultAddress(id, "password"));

    const cluster = addressed(new RedisCluster(this, "cluster", {
      name: props.name,
      zone: props.zone,
      version: props.version,
      nodeType: props.nodeType,
      clusterSize,
      userName: props.userName,
      // Write-only: the cluster's state never holds the password. It is still in the state of
      // random_password and of the container, whose REDIS_URL Scaleway only takes as a value.
      passwordWo: password.result,
      passwordWoVersion: passwordVersion,
      tlsEnabled: props.tls,
      // No service_ips: IPAM picks the address inside the private network's subnet.
      privateNetwork: props.publicAcl ? undefined : [{ id: props.privateNetwork.id }],
      acl: props.publicAcl?.map((rule) => ({ ip: rule.ip, description: rule.description })),
      settings: props.settings,
      tags: props.tags,
      lifecycle: props.importId ? { ignoreChanges: ["tls_enabled"] } : undefined,
    }), props.addresses?.cluster ?? defaultAddress(id));
    if (props.importId) new ImportBlock(cluster, props.importId);

    // An HA (2-node) endpoint carries one IP, a cluster-mode one an IP per node (any is a seed).
    const endpoint = props.publicAcl ? cluster.publicNetwork : cluster.privateNetwork.get(0);
    this.host = Token.asString(Fn.element(endpoint.ips, 0));
    this.port = Fn.tostring(endpoint.port);
    this.userName = props.userName;
    this.tls = props.tls;
    this.password = password.result;
    this.url = redisUrl({ tls: props.tls, username: props.userName, password: password.result, host: this.host, port: this.port });
    this.caCertificate = props.tls ? cluster.certificate : undefined;
  }
}
