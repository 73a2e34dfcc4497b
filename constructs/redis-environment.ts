import { Fn } from "cdktf";

/**
 * The environment a backend is given to reach Redis: the same names on both clouds, defined only
 * here. GCP passes them to Cloud Run from Secret Manager (REDIS_TLS as a plain variable), Scaleway
 * to the container as variables and secret variables. `__tests__/real/stacks/redis-contract.real.test.ts` connects a
 * real client to a real redis-server with exactly what each synthesized stack passes.
 */
export const REDIS_ENV = {
  /** Private IP of the Redis endpoint. */
  host: "REDIS_HOST",
  /** TCP port, as text. */
  port: "REDIS_PORT",
  /** The ACL user to authenticate as; absent where Redis has only its default user (Memorystore). */
  username: "REDIS_USERNAME",
  /** The password (Memorystore's AUTH string); secret. */
  password: "REDIS_PASSWORD",
  /** "true" or "false": whether to speak TLS. */
  tls: "REDIS_TLS",
  /** PEM of the CA that signs the server's certificate; present only with TLS. */
  caCert: "REDIS_CA_CERT",
  /** `redis://` or `rediss://` URL with the URL-encoded credentials; secret. */
  url: "REDIS_URL",
} as const;

export interface RedisEndpoint {
  readonly tls: boolean;
  /** Absent: authenticate as the default user (password only). */
  readonly username?: string;
  readonly password: string;
  readonly host: string;
  readonly port: string;
}

/**
 * The URL clients parse: the password URL-encoded by Terraform (`urlencode`), since generated
 * passwords hold characters such as `@`, `:` and `#` that would break it. User names are URL-safe.
 */
export function redisUrl(endpoint: RedisEndpoint): string {
  return `${endpoint.tls ? "rediss" : "redis"}://${endpoint.username ?? ""}:${Fn.urlencode(endpoint.password)}@${endpoint.host}:${endpoint.port}`;
}
