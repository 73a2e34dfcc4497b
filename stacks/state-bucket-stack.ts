import { GoogleProvider } from "../.gen/providers/google/provider";
import { ScalewayProvider } from "../.gen/providers/scaleway/provider";
import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { GcpConfig, ScalewayConfig } from "../config/schema";
import { GcsStateBucket } from "../constructs/gcp/state-bucket";
import { ObjectStorageStateBucket } from "../constructs/scaleway/state-bucket";
import { exemptFromPolicy } from "../policy/policy";
import { stateKey, stateStackName } from "../naming/names";
import { gcsOrLocalState, scalewayOrLocalState } from "./state-backend";
import { requireTerraformVersion } from "./terraform-version";

export type StateBucketStackProps =
  | { readonly cloud: "gcp"; readonly environment: string; readonly config: GcpConfig & { state: NonNullable<GcpConfig["state"]> } }
  | { readonly cloud: "scaleway"; readonly environment: string; readonly config: ScalewayConfig & { state: NonNullable<ScalewayConfig["state"]> } };

/**
 * Creates the bucket an environment's state lives in, once, before the environment's own stack.
 * Its own state cannot start in a bucket that does not exist yet: it is local until
 * `state.bootstrap` is "bucket", then moved into the bucket with `terraform init -migrate-state`
 * (README "State").
 */
export class StateBucketStack extends TerraformStack {
  constructor(scope: Construct, props: StateBucketStackProps) {
    super(scope, stateStackName(props.cloud, props.environment));
    const name = stateStackName(props.cloud, props.environment);
    requireTerraformVersion(this);
    let bucket: Construct;
    if (props.cloud === "gcp") {
      const { config } = props;
      const { state } = config;
      new GoogleProvider(this, "google", { project: config.project, region: config.region });
      gcsOrLocalState(this, state.bootstrap === "bucket" ? { bucket: state.bucket, prefix: stateKey(name) } : undefined);
      bucket = new GcsStateBucket(this, "state-bucket", {
        name: state.bucket,
        project: config.project,
        location: state.location ?? config.region,
        writers: state.writers,
        keepVersions: state.keepVersions,
        labels: { environment: props.environment },
      });
    } else {
      const { config } = props;
      const { state } = config;
      const region = state.region ?? config.region;
      new ScalewayProvider(this, "scaleway", { region: config.region, zone: config.zone, projectId: config.projectId });
      scalewayOrLocalState(this, region, state.bootstrap === "bucket" ? { bucket: state.bucket, key: `${stateKey(name)}.tfstate` } : undefined);
      bucket = new ObjectStorageStateBucket(this, "state-bucket", {
        name: state.bucket,
        region,
        writers: state.writers,
        owners: state.owners,
        keepVersions: state.keepVersions,
        tags: { environment: props.environment },
      });
    }
    // A bucket name is global and chosen in configuration, not derived from the environment.
    exemptFromPolicy(bucket, "RN006", "a bucket name is global and chosen in configuration (state.bucket)");
  }
}
