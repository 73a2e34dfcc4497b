import { Construct } from "constructs";
import { ObjectBucket } from "../../.gen/providers/scaleway/object-bucket";
import { ObjectBucketAcl } from "../../.gen/providers/scaleway/object-bucket-acl";
import { ObjectBucketPolicy } from "../../.gen/providers/scaleway/object-bucket-policy";
import { objectStorageBucketNameProblem, ObjectStorageRegion, objectStorageRegionProblem, PRINCIPAL } from "../../limits/scaleway";
import { STATE } from "../../limits/state";
import { addressed, defaultAddress } from "../addresses";
import { check, checkInt, checkText } from "../validate";

export interface ObjectStorageStateBucketProps {
  readonly name: string;
  readonly region: ObjectStorageRegion;
  /**
   * Who deploys (`application_id:<uuid>`): the bucket policy lets them read and write state
   * objects and their versions, nothing more. A bucket policy applies to everyone, so `owners`
   * keep full access.
   */
  readonly writers: readonly string[];
  /** Who plans (`application_id:<uuid>`): the bucket policy lets them list and read state, nothing more. @default none */
  readonly readers?: readonly string[];
  /** Who keeps full access to the bucket (`user_id:<uuid>` or `application_id:<uuid>`): whoever bootstraps it. */
  readonly owners: readonly string[];
  /** Noncurrent versions of each state object kept for restores. @default 10 */
  readonly keepVersions?: number;
  readonly tags: Record<string, string>;
  /** Terraform address name of the bucket, its ACL and its policy. @default the construct ID, snake case */
  readonly logicalId?: string;
}

/**
 * The Object Storage bucket Terraform state lives in: versioned, a bounded number of old versions
 * kept, private, and a bucket policy that gives the deployers object access only.
 */
export class ObjectStorageStateBucket extends Construct {
  readonly bucketName: string;
  /** The project the bucket is in: the provider's (`projectId`, or the credentials' default). */
  readonly projectId: string;

  constructor(scope: Construct, id: string, props: ObjectStorageStateBucketProps) {
    super(scope, id);
    const keepVersions = props.keepVersions ?? STATE.keepVersions.default;
    check(this, "name", props.name, objectStorageBucketNameProblem(props.name));
    check(this, "region", props.region, objectStorageRegionProblem(props.region));
    checkInt(this, "keepVersions", keepVersions, STATE.keepVersions);
    const readers = props.readers ?? [];
    for (const [field, ids] of [["writers", props.writers], ["readers", readers], ["owners", props.owners]] as const) {
      for (const [i, value] of ids.entries()) checkText(this, `${field}[${i}]`, value, PRINCIPAL);
    }
    if ((props.writers.length || readers.length) && !props.owners.length) {
      check(this, "owners", props.owners, "is required with writers or readers: a bucket policy applies to everyone, and without an owner whoever bootstraps the bucket locks themselves out");
    }

    const address = props.logicalId ?? defaultAddress(id);
    const bucket = addressed(new ObjectBucket(this, "bucket", {
      name: props.name,
      region: props.region,
      versioning: { enabled: true },
      lifecycleRule: [{ enabled: true, noncurrentVersionExpiration: { newerNoncurrentVersions: keepVersions, noncurrentDays: 1 } }],
      tags: props.tags,
      lifecycle: { preventDestroy: true },
    }), address);
    addressed(new ObjectBucketAcl(this, "acl", { bucket: bucket.id, region: props.region, acl: "private" }), address);
    // Writers and readers require owners (checked above): there is a policy exactly when there are owners.
    if (props.owners.length) {
      const policy = {
        Version: "2023-04-17",
        Id: "redis-network-state",
        Statement: [
          {
            Sid: "Owners",
            Effect: "Allow",
            Principal: { SCW: props.owners },
            Action: ["s3:*"],
            Resource: [props.name, `${props.name}/*`],
          },
          ...(props.writers.length ? [{
            Sid: "Deployers",
            Effect: "Allow",
            Principal: { SCW: props.writers },
            // State, its lock file, and its versions for a restore.
            Action: ["s3:ListBucket", "s3:ListBucketVersions", "s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject"],
            Resource: [props.name, `${props.name}/*`],
          }] : []),
          ...(readers.length ? [{
            Sid: "Planners",
            Effect: "Allow",
            Principal: { SCW: readers },
            // State read without the lock (plan -lock=false), nothing written.
            Action: ["s3:ListBucket", "s3:GetObject"],
            Resource: [props.name, `${props.name}/*`],
          }] : []),
        ],
      };
      addressed(new ObjectBucketPolicy(this, "policy", { bucket: bucket.id, region: props.region, policy: JSON.stringify(policy) }), address);
    }
    this.bucketName = bucket.name;
    this.projectId = bucket.projectId;
  }
}
