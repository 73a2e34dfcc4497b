import { StorageBucket } from "../../.gen/providers/google/storage-bucket";
import { StorageBucketIamMember } from "../../.gen/providers/google/storage-bucket-iam-member";
import { Construct } from "constructs";
import { skipCheckov } from "../checkov";
import { check } from "../validate";

/** The rule a GCS bucket name breaks (Google's bucket naming page), or undefined. */
export function gcsBucketNameProblem(name: string): string | undefined {
  if (!/^[a-z0-9][a-z0-9._-]*[a-z0-9]$/.test(name)) return "must be lowercase letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
  if (name.length < 3 || name.length > 222) return "must be 3-63 characters (up to 222 with dots)";
  if (!name.includes(".") && name.length > 63) return "must be 3-63 characters without dots";
  if (name.split(".").some((part) => part.length > 63)) return "must have each dot-separated part at most 63 characters";
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return "must not be an IP address";
  if (name.startsWith("goog") || /g(o|0)(o|0)gle/.test(name)) return 'must not start with "goog" or contain "google" (Google reserves them)';
  return undefined;
}

/** Members that may read and write state objects: `serviceAccount:...`, `group:...`, `user:...`. */
export const IAM_MEMBER = /^(serviceAccount|user|group|principal|principalSet):\S+$/;

export interface GcsStateBucketProps {
  readonly name: string;
  readonly project: string;
  /** GCS location, e.g. us-central1. */
  readonly location: string;
  /** Identities that deploy: they get roles/storage.objectUser on this bucket, nothing more. */
  readonly writers: readonly string[];
  /** Noncurrent versions of each state object kept for restores. @default 10 */
  readonly keepVersions?: number;
  readonly labels?: Record<string, string>;
}

/**
 * The bucket Terraform state lives in: versioned, so a bad apply or a wrong `state rm` can be
 * undone (npm run restore-state); a bounded number of old versions kept; uniform access and public
 * access prevention; and the deployers' object access, not bucket administration.
 */
export class GcsStateBucket extends Construct {
  readonly bucketName: string;

  constructor(scope: Construct, id: string, props: GcsStateBucketProps) {
    super(scope, id);
    const keepVersions = props.keepVersions ?? 10;
    const nameProblem = gcsBucketNameProblem(props.name);
    check(this, "name", props.name, !nameProblem, nameProblem ?? "");
    check(this, "keepVersions", keepVersions, Number.isInteger(keepVersions) && keepVersions >= 1, "must be a positive integer");
    for (const [i, member] of props.writers.entries()) check(this, `writers[${i}]`, member, IAM_MEMBER.test(member), "must be an IAM member such as serviceAccount:deploy@<project>.iam.gserviceaccount.com");

    const bucket = new StorageBucket(this, "bucket", {
      name: props.name,
      project: props.project,
      location: props.location,
      uniformBucketLevelAccess: true,
      publicAccessPrevention: "enforced",
      versioning: { enabled: true },
      // Old versions are kept for restores, a bounded number of them.
      lifecycleRule: [{ action: { type: "Delete" }, condition: { numNewerVersions: keepVersions, withState: "ARCHIVED" } }],
      labels: props.labels,
      lifecycle: { preventDestroy: true },
    });
    bucket.overrideLogicalId("state");
    const auditLogs = "access to state is recorded by Cloud Audit Logs (Data Access logs for storage.googleapis.com), which Google recommends over usage logs; usage logs would need a second bucket";
    skipCheckov(bucket, "CKV_GCP_62", auditLogs);
    skipCheckov(bucket, "CKV_GCP_63", auditLogs);
    for (const [i, member] of props.writers.entries()) {
      // objectUser: read, write, list and delete objects (state and its lock), no IAM or bucket settings.
      new StorageBucketIamMember(this, `writer-${i}`, { bucket: bucket.name, role: "roles/storage.objectUser", member })
        .overrideLogicalId(`state_writer_${i}`);
    }
    this.bucketName = bucket.name;
  }
}
