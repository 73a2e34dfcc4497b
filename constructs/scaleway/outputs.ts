import { TerraformOutput, Token } from "cdktf";
import { Construct } from "constructs";
import { BackendContainer } from "./compute";
import { RedisDatabase } from "./db";
import { IPrivateNetwork } from "./network";

export interface ScalewayOutputsProps {
  readonly network: IPrivateNetwork;
  readonly redis: RedisDatabase;
  readonly backend: BackendContainer;
}

/** The outputs of `outputs.tf`, under the same names. */
export class ScalewayOutputs extends Construct {
  constructor(scope: Construct, id: string, props: ScalewayOutputsProps) {
    super(scope, id);
    const { network, redis, backend } = props;

    output(this, "redis_private_endpoint", `${redis.host}:${redis.port}`, "Redis host:port on the private network");
    output(this, "private_network_details", {
      id: network.id,
      name: network.name ?? "",
      subnet: network.subnet ?? "",
      vpc_id: network.vpcId ?? "",
    }, "Private network Redis and the backend share");
    output(this, "redis_connection_info", {
      host: redis.host,
      port: redis.port,
      user_name: redis.userName,
      tls: redis.tls,
      url: redis.url,
      // Always present so clients see one shape; empty when TLS is off.
      ca_certificate: redis.caCertificate ?? "",
    }, "How clients connect: only from the private network", true);
    output(this, "backend_url", backend.url, "Public URL of the backend container");
  }
}

function output(scope: Construct, name: string, value: unknown, description: string, sensitive = false): void {
  // As a token, an object value goes through cdktf's resolver, the same JSON, rather than
  // TerraformOutput's own walk, which calls the deprecated util.isArray (a warning on Node >= 22).
  new TerraformOutput(scope, name, { value: Token.asAny(value), description, sensitive }).overrideLogicalId(name);
}
