import { Construct } from "constructs";
import { ObjectBucket } from "../../.gen/providers/scaleway/object-bucket";
import { ObjectBucketAcl } from "../../.gen/providers/scaleway/object-bucket-acl";
import { ObjectBucketPolicy } from "../../.gen/providers/scaleway/object-bucket-policy";
import { check } from "../validate";

/** The regions Scaleway Object Storage serves. */
export const OBJECT_STORAGE_REGIONS = ["fr-par", "nl-ams", "pl-waw"] as const;

/** The rule a Scaleway Object Storage bucket name breaks, or undefined. */
export function objectStorageBucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return "must be 3-63 characters";
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) return "must be lowercase letters, digits, '-' or '.', starting and ending with a letter or digit";
  if (/\.\.|\.-|-\./.test(name)) return "must not have two dots, or a dot next to a hyphen, in a row";
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return "must not be an IP address";
  return undefined;
}

/** A bucket policy principal in Scaleway's form: `application_id:<uuid>` or `user_id:<uuid>`. */
export const SCALEWAY_PRINCIPAL = /^(application_id|user_id):[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/;

export interface ObjectStorageStateBucketProps {
  readonly name: string;
  readonly region: (typeof OBJECT_STORAGE_REGIONS)[number];
  /**
   * Who deploys (`application_id:<uuid>`): the bucket policy lets them read and write state
   * objects and their versions, nothing more. A bucket policy applies to everyone, so `owners`
   * keep full access.
   */
  readonly writers: readonly string[];
  /** Who keeps full access to the bucket (`user_id:<uuid>` or `application_id:<uuid>`): whoever bootstraps it. */
  readonly owners: readonly string[];
  /** Noncurrent versions of each state object kept for restores. @default 10 */
  readonly keepVersions?: number;
  readonly tags: Record<string, string>;
}

/**
 * The Object Storage bucket Terraform state lives in: versioned, a bounded number of old versions
 * kept, private, and a bucket policy that gives the deployers object access only.
 */
export class ObjectStorageStateBucket extends Construct {
  readonly bucketName: string;

  constructor(scope: Construct, id: string, props: ObjectStorageStateBucketProps) {
    super(scope, id);
    const keepVersions = props.keepVersions ?? 10;
    const nameProblem = objectStorageBucketNameProblem(props.name);
    check(this, "name", props.name, !nameProblem, nameProblem ?? "");
    check(this, "region", props.region, (OBJECT_STORAGE_REGIONS as readonly string[]).includes(props.region), `must be a region Scaleway Object Storage serves: ${OBJECT_STORAGE_REGIONS.join(", ")}`);
    check(this, "keepVersions", keepVersions, Number.isInteger(keepVersions) && keepVersions >= 1, "must be a positive integer");
    for (const [field, ids] of [["writers", props.writers], ["owners", props.owners]] as const) {
      for (const [i, value] of ids.entries()) check(this, `${field}[${i}]`, value, SCALEWAY_PRINCIPAL.test(value), "must be a Scaleway principal, application_id:<uuid> or user_id:<uuid>");
    }

    const bucket = new ObjectBucket(this, "bucket", {
      name: props.name,
      region: props.region,
      versioning: { enabled: true },
      lifecycleRule: [{ enabled: true, noncurrentVersionExpiration: { newerNoncurrentVersions: keepVersions, noncurrentDays: 1 } }],
      tags: props.tags,
      lifecycle: { preventDestroy: true },
    });
    bucket.overrideLogicalId("state");
    new ObjectBucketAcl(this, "acl", { bucket: bucket.id, region: props.region, acl: "private" }).overrideLogicalId("state");
    if (props.writers.length || props.owners.length) {
      const policy = {
        Version: "2023-04-17",
        Id: "redis-network-state",
        Statement: [
          ...(props.owners.length ? [{
            Sid: "Owners",
            Effect: "Allow",
            Principal: { SCW: props.owners },
            Action: ["s3:*"],
            Resource: [props.name, `${props.name}/*`],
          }] : []),
          ...(props.writers.length ? [{
            Sid: "Deployers",
            Effect: "Allow",
            Principal: { SCW: props.writers },
            // State, its lock file, and its versions for a restore.
            Action: ["s3:ListBucket", "s3:ListBucketVersions", "s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject"],
            Resource: [props.name, `${props.name}/*`],
          }] : []),
        ],
      };
      new ObjectBucketPolicy(this, "policy", { bucket: bucket.id, region: props.region, policy: JSON.stringify(policy) }).overrideLogicalId("state");
    }
    this.bucketName = bucket.name;
  }
}
