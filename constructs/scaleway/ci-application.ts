import { Construct } from "constructs";
import { IamApplication } from "../../.gen/providers/scaleway/iam-application";
import { IamPolicy } from "../../.gen/providers/scaleway/iam-policy";
import { IAM_NAME, PERMISSION_SET } from "../../limits/scaleway";
import { addressed, defaultAddress } from "../addresses";
import { check, checkReason, checkText } from "../validate";

export interface CiApplicationProps {
  /** Short name in Terraform addresses (`plan`, `deploy`): `ci_<name>`. */
  readonly name: string;
  /** The application's and its policy's name. */
  readonly applicationName: string;
  readonly description: string;
  /** The one project the policy applies in (a UUID, or a reference to one). */
  readonly projectId: string;
  /** Permission sets granted in that project, each with why the application needs it. */
  readonly permissionSets: Readonly<Record<string, string>>;
  readonly tags?: readonly string[];
  /** Terraform address name of the application and its policy. @default the construct ID, snake case */
  readonly logicalId?: string;
}

/**
 * A Scaleway IAM application for CI and one policy that grants it the given permission sets in one
 * project and nowhere else. No API key is created here: a key's secret would sit in state (docs/ci-identities.md);
 * it is created once with `scw iam api-key create` and stored in GitHub.
 */
export class CiApplication extends Construct {
  /** The application's ID, for `scw iam api-key create application-id=<id>` and bucket policies. */
  readonly applicationId: string;

  constructor(scope: Construct, id: string, props: CiApplicationProps) {
    super(scope, id);
    check(this, "name", props.name, /^[a-z][a-z0-9_]*$/.test(props.name) ? undefined : "must be lowercase letters, digits or '_' (it is part of Terraform addresses)");
    checkText(this, "applicationName", props.applicationName, IAM_NAME);
    check(this, "permissionSets", props.permissionSets, Object.keys(props.permissionSets).length ? undefined : "must name at least one permission set");
    for (const [set, why] of Object.entries(props.permissionSets)) {
      checkText(this, "permissionSets", set, PERMISSION_SET);
      checkReason(this, `permissionSets.${set}`, why);
    }

    const application = addressed(new IamApplication(this, "application", {
      name: props.applicationName,
      description: props.description,
      tags: props.tags ? [...props.tags] : undefined,
    }), props.logicalId ?? defaultAddress(id));
    addressed(new IamPolicy(this, "policy", {
      name: props.applicationName,
      description: props.description,
      applicationId: application.id,
      rule: [{ projectIds: [props.projectId], permissionSetNames: Object.keys(props.permissionSets) }],
      tags: props.tags ? [...props.tags] : undefined,
    }), props.logicalId ?? defaultAddress(id));
    this.applicationId = application.id;
  }
}
