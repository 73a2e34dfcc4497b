import { SecretManagerSecret } from "../../.gen/providers/google/secret-manager-secret";
import { SecretManagerSecretVersion } from "../../.gen/providers/google/secret-manager-secret-version";
import { Construct } from "constructs";
import { addressed, defaultAddress, firstInstance } from "../addresses";
import { REDIS_ENV, redisUrl } from "../redis-environment";
import { check } from "../validate";
import { Memorystore } from "./memorystore";

/** A Secret Manager secret and the version holding its value, as references. */
export interface PublishedSecret {
  /** The secret's Terraform address name, which grants on it are named after. */
  readonly logicalId: string;
  /** The secret's full resource ID, for IAM. */
  readonly id: string;
  /** The secret ID, for Cloud Run's `secret_key_ref`. */
  readonly secretId: string;
  /** The version the apply wrote. */
  readonly version: string;
  /**
   * Published only in some environments (the CA, with TLS): created with `count = 1`, as the
   * hand-written reference must, so its address stays `[0]` whichever environment it is in.
   */
  readonly counted: boolean;
}

export interface RedisSecretsProps {
  /** Secret IDs are `<prefix>-host`, `-port`, `-auth`, `-url`, `-ca-cert`. */
  readonly prefix: string;
  readonly redis: Memorystore;
  readonly labels?: Record<string, string>;
  /**
   * Terraform address name of a secret and its version, by part (`host`, `port`, `auth`, `url`,
   * `ca_cert`). @default the construct ID, snake case, then `_<part>`
   */
  readonly address?: (part: string) => string;
}

/**
 * How to reach Redis, published in Secret Manager from the instance's own attributes under the
 * names of `REDIS_ENV`: the host, the port, the AUTH string as the password, the URL and, with
 * TLS, the server CA. Nothing is templated or typed in, so a
 * replaced instance updates every secret in the same apply. Values use `secret_data`, not the
 * write-only `secret_data_wo`: the instance keeps the AUTH string in state anyway, and a
 * write-only value would hide a changed one from Terraform.
 */
export class RedisSecrets extends Construct {
  /** By the environment variable a client reads it from. */
  readonly byVariable: Record<string, PublishedSecret> = {};

  constructor(scope: Construct, id: string, props: RedisSecretsProps) {
    super(scope, id);
    check(this, "prefix", props.prefix, /^[A-Za-z0-9_-]{1,240}$/.test(props.prefix) ? undefined : "must be 1-240 letters, digits, '_' or '-' (Secret Manager IDs)");
    const { redis } = props;

    this.publish(REDIS_ENV.host, "host", redis.host, false, props);
    this.publish(REDIS_ENV.port, "port", redis.portAttribute, false, props);
    // The secret keeps its first name (`-auth`, address `redis_auth`): renaming it would replace it.
    this.publish(REDIS_ENV.password, "auth", redis.authString, false, props);
    const url = redisUrl({ tls: redis.transitEncryption, password: redis.authString, host: redis.host, port: redis.portAttribute });
    this.publish(REDIS_ENV.url, "url", url, false, props);
    if (redis.caCertificate) this.publish(REDIS_ENV.caCert, "ca_cert", redis.caCertificate, true, props);
  }

  private publish(variable: string, part: string, value: string, counted: boolean, props: RedisSecretsProps): void {
    const logicalId = props.address ? props.address(part) : defaultAddress(this.node.id, part);
    const count = counted ? 1 : undefined;
    const secret = addressed(new SecretManagerSecret(this, `${part}-secret`, {
      count,
      secretId: `${props.prefix}-${part.replace("_", "-")}`,
      replication: { auto: {} },
      labels: props.labels,
    }), logicalId);
    const attribute = (resource: SecretManagerSecret | SecretManagerSecretVersion, name: string, direct: string) =>
      counted ? firstInstance(resource, name) : direct;
    const id = attribute(secret, "id", secret.id);
    // A replaced Redis writes new versions; the old ones must outlive the service's move to them.
    // ABANDON leaves a replaced version in Secret Manager rather than create_before_destroy, which
    // Terraform would force onto the Redis instance too: a fixed-name instance created before its
    // predecessor is deleted fails with 409 at apply.
    const version = addressed(new SecretManagerSecretVersion(this, `${part}-version`, { count, secret: id, secretData: value, deletionPolicy: "ABANDON" }), logicalId);
    this.byVariable[variable] = {
      logicalId,
      id,
      secretId: attribute(secret, "secret_id", secret.secretId),
      version: attribute(version, "version", version.version),
      counted,
    };
  }
}
