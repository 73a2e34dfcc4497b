import { IamWorkloadIdentityPool } from "../../.gen/providers/google/iam-workload-identity-pool";
import { IamWorkloadIdentityPoolProvider } from "../../.gen/providers/google/iam-workload-identity-pool-provider";
import { Construct } from "constructs";
import { PROJECT_ID, PROJECT_NUMBER, WORKLOAD_IDENTITY_ID, WORKLOAD_IDENTITY_SUBJECT_MAX, workloadIdentityPoolName, workloadIdentityProviderName } from "../../limits/gcp";
import { GITHUB_OIDC_ISSUER, githubRepositoryProblem } from "../../limits/github";
import { addressed, defaultAddress } from "../addresses";
import { check, checkText } from "../validate";

export interface GithubWorkloadIdentityProps {
  /** The project the pool lives in. */
  readonly project: string;
  /** That project's number: principals name the pool by it. */
  readonly projectNumber: string;
  /** Pool ID: 4-32 of [a-z0-9-], not starting with `gcp-`. */
  readonly poolId: string;
  /** Provider ID, same rule. */
  readonly providerId: string;
  /** `<owner>/<repo>`: the only repository whose tokens the provider accepts. */
  readonly repository: string;
  /**
   * The token subjects (GitHub's `sub` claims) the provider accepts, each of `repository`: a job
   * with any other subject gets no Google token at all, whatever service account trusts it.
   */
  readonly subjects: readonly string[];
  /** Terraform address name of the pool and its provider. @default the construct ID, snake case */
  readonly logicalId?: string;
}

/**
 * A Workload Identity pool with one OIDC provider for GitHub Actions, which accepts a token only
 * from the one repository and with one of the given subjects (`attribute_condition`), and maps its
 * `sub` claim to `google.subject`, so a service account can trust exactly the jobs whose subject
 * it names (`principal`). No key is created: jobs exchange their own short-lived token.
 */
export class GithubWorkloadIdentity extends Construct {
  /** `projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>`: what google-github-actions/auth takes. */
  readonly providerName: string;
  private readonly poolName: string;
  private readonly subjects: readonly string[];

  constructor(scope: Construct, id: string, props: GithubWorkloadIdentityProps) {
    super(scope, id);
    checkText(this, "project", props.project, PROJECT_ID);
    checkText(this, "projectNumber", props.projectNumber, PROJECT_NUMBER);
    checkText(this, "poolId", props.poolId, WORKLOAD_IDENTITY_ID);
    checkText(this, "providerId", props.providerId, WORKLOAD_IDENTITY_ID);
    check(this, "repository", props.repository, githubRepositoryProblem(props.repository));
    check(this, "subjects", props.subjects, props.subjects.length ? undefined : "must name at least one token subject");
    for (const [i, subject] of props.subjects.entries()) {
      check(this, `subjects[${i}]`, subject, !subject.startsWith(`repo:${props.repository}:`) ? `must be a subject of ${props.repository} (repo:${props.repository}:...)`
        : Buffer.byteLength(subject) > WORKLOAD_IDENTITY_SUBJECT_MAX ? `is longer than the ${WORKLOAD_IDENTITY_SUBJECT_MAX} bytes Google maps to google.subject` : undefined);
    }
    this.subjects = props.subjects;

    // Written out rather than taken from the pool's `name`, so the principals and the workflows'
    // settings are known before apply; the postcondition fails the apply if the number is wrong.
    this.poolName = workloadIdentityPoolName(props.projectNumber, props.poolId);
    this.providerName = workloadIdentityProviderName(props.projectNumber, props.poolId, props.providerId);
    const pool = addressed(new IamWorkloadIdentityPool(this, "pool", {
      project: props.project,
      workloadIdentityPoolId: props.poolId,
      displayName: "GitHub Actions",
      description: `Jobs of ${props.repository}`,
      lifecycle: {
        postcondition: [{
          condition: `\${self.name == "${this.poolName}"}`,
          errorMessage: `projectNumber ${props.projectNumber} is not the number of project ${props.project}: the CI identities' principals name the pool as ${this.poolName}`,
        }],
      },
    }), props.logicalId ?? defaultAddress(id));
    addressed(new IamWorkloadIdentityPoolProvider(this, "provider", {
      project: props.project,
      workloadIdentityPoolId: pool.workloadIdentityPoolId,
      workloadIdentityPoolProviderId: props.providerId,
      displayName: "GitHub Actions OIDC",
      description: `Tokens of ${props.repository} only`,
      attributeMapping: {
        "google.subject": "assertion.sub",
        "attribute.repository": "assertion.repository",
        "attribute.repository_owner": "assertion.repository_owner",
      },
      // Tokens of this repository, and of the jobs the identities serve: any other is refused.
      attributeCondition: [
        `assertion.repository == ${JSON.stringify(props.repository)}`,
        `(${props.subjects.map((subject) => `assertion.sub == ${JSON.stringify(subject)}`).join(" || ")})`,
      ].join(" && "),
      oidc: { issuerUri: GITHUB_OIDC_ISSUER },
    }), props.logicalId ?? defaultAddress(id));
  }

  /** The principal of the jobs whose token has subject `subject`, one of `subjects`. */
  principal(subject: string): string {
    if (!this.subjects.includes(subject)) throw new Error(`${this.node.path}: subject ${JSON.stringify(subject)} is not one the provider accepts (${this.subjects.join(", ")})`);
    return `principal://iam.googleapis.com/${this.poolName}/subject/${subject}`;
  }
}
