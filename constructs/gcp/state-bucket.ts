import { StorageBucket } from "../../.gen/providers/google/storage-bucket";
import { StorageBucketIamMember } from "../../.gen/providers/google/storage-bucket-iam-member";
import { Construct } from "constructs";
import { skipCheckov } from "../checkov";
import { gcsBucketNameProblem, IAM_MEMBER } from "../../limits/gcp";
import { STATE } from "../../limits/state";
import { addressed, defaultAddress } from "../addresses";
import { check, checkInt, checkText } from "../validate";

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
  /** Terraform address name of the bucket. @default the construct ID, snake case */
  readonly logicalId?: string;
  /** Terraform address name of the `index`th writer's grant. @default `<bucket>_writer_<index>` */
  readonly writerAddress?: (index: number) => string;
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
    const keepVersions = props.keepVersions ?? STATE.keepVersions.default;
    check(this, "name", props.name, gcsBucketNameProblem(props.name));
    checkInt(this, "keepVersions", keepVersions, STATE.keepVersions);
    for (const [i, member] of props.writers.entries()) checkText(this, `writers[${i}]`, member, IAM_MEMBER);

    const bucketAddress = props.logicalId ?? defaultAddress(id);
    const bucket = addressed(new StorageBucket(this, "bucket", {
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
    }), bucketAddress);
    const auditLogs = "access to state is recorded by Cloud Audit Logs (Data Access logs for storage.googleapis.com), which Google recommends over usage logs; usage logs would need a second bucket";
    skipCheckov(bucket, "CKV_GCP_62", auditLogs);
    skipCheckov(bucket, "CKV_GCP_63", auditLogs);
    for (const [i, member] of props.writers.entries()) {
      // objectUser: read, write, list and delete objects (state and its lock), no IAM or bucket settings.
      addressed(new StorageBucketIamMember(this, `writer-${i}`, { bucket: bucket.name, role: "roles/storage.objectUser", member }), props.writerAddress ? props.writerAddress(i) : `${bucketAddress}_writer_${i}`);
    }
    this.bucketName = bucket.name;
  }
}
