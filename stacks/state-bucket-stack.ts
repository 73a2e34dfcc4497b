import { GoogleProvider } from "../.gen/providers/google/provider";
import { ScalewayProvider } from "../.gen/providers/scaleway/provider";
import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { GcpConfig, ScalewayConfig } from "../config/schema";
import { GcsStateBucket } from "../constructs/gcp/state-bucket";
import { ObjectStorageStateBucket } from "../constructs/scaleway/state-bucket";
import { exemptFromPolicy } from "../policy/policy";
import { stateKey, stateStackName } from "../naming/names";
import { gcpCiIdentities, scalewayCiIdentities } from "./ci-identities";
import { gcsOrLocalState, scalewayOrLocalState } from "./state-backend";
import { requireTerraformVersion } from "./terraform-version";
import { LOGICAL_ID } from "./logical-ids";

export type StateBucketStackProps = (
  | { readonly cloud: "gcp"; readonly config: GcpConfig & { state: NonNullable<GcpConfig["state"]> } }
  | { readonly cloud: "scaleway"; readonly config: ScalewayConfig & { state: NonNullable<ScalewayConfig["state"]> } }
) & {
  readonly environment: string;
  /** `ci.repository`: with it the stack also creates the CI identities (stacks/ci-identities.ts). */
  readonly repository?: string;
};

/**
 * Creates the bucket an environment's state lives in, once, before the environment's own stack,
 * and, with `ci`, the identities CI plans and deploys the environment as.
 * Its own state cannot start in a bucket that does not exist yet: it is local until
 * `state.bootstrap` is "bucket", then moved into the bucket with `terraform init -migrate-state`
 * (docs/state.md).
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
      const gcs = new GcsStateBucket(this, "state-bucket", {
        name: state.bucket,
        project: config.project,
        location: state.location ?? config.region,
        writers: state.writers,
        keepVersions: state.keepVersions,
        labels: { environment: props.environment },
        logicalId: LOGICAL_ID.gcp.stateBucket,
        writerAddress: LOGICAL_ID.gcp.stateWriter,
      });
      bucket = gcs;
      if (props.repository) {
        if (config.projectNumber === undefined) throw new Error(`${name}: gcp.projectNumber is required with ci: the Workload Identity principals name the project by number`);
        gcpCiIdentities(this, {
          environment: props.environment,
          config: { ...config, projectNumber: config.projectNumber },
          repository: props.repository,
          stateBucket: gcs.bucketName,
        });
      }
    } else {
      const { config } = props;
      const { state } = config;
      const region = state.region ?? config.region;
      new ScalewayProvider(this, "scaleway", { region: config.region, zone: config.zone, projectId: config.projectId });
      scalewayOrLocalState(this, region, state.bootstrap === "bucket" ? { bucket: state.bucket, key: `${stateKey(name)}.tfstate` } : undefined);
      // The identities are scoped to the environment's project, which the schema requires.
      const ci = props.repository ? scalewayCiIdentities(this, { environment: props.environment, projectId: config.projectId }) : undefined;
      // A bucket policy binds everyone: where one exists (owners are configured), the identities
      // must be in it, deploy as a writer and plan as a reader; without one, IAM alone decides.
      const inPolicy = ci && state.owners.length > 0;
      bucket = new ObjectStorageStateBucket(this, "state-bucket", {
        name: state.bucket,
        region,
        writers: [...state.writers, ...(inPolicy ? [`application_id:${ci.deploy.applicationId}`] : [])],
        readers: inPolicy ? [`application_id:${ci.plan.applicationId}`] : [],
        owners: state.owners,
        keepVersions: state.keepVersions,
        tags: { environment: props.environment },
        logicalId: LOGICAL_ID.scaleway.stateBucket,
      });
    }
    // A bucket name is global and chosen in configuration, not derived from the environment.
    exemptFromPolicy(bucket, "RN006", "a bucket name is global and chosen in configuration (state.bucket)");
  }
}
