import { ProjectIamCustomRole } from "../../.gen/providers/google/project-iam-custom-role";
import { ProjectIamMember } from "../../.gen/providers/google/project-iam-member";
import { ServiceAccount } from "../../.gen/providers/google/service-account";
import { ServiceAccountIamMember } from "../../.gen/providers/google/service-account-iam-member";
import { StorageBucketIamMember } from "../../.gen/providers/google/storage-bucket-iam-member";
import { Construct } from "constructs";
import { CUSTOM_ROLE_ID, IAM_MEMBER, IAM_ROLE, PROJECT_ID, SERVICE_ACCOUNT_ID } from "../../limits/gcp";
import { addressed, defaultAddress } from "../addresses";
import { skipCheckov } from "../checkov";
import { check, checkReason, checkText } from "../validate";

/** What an identity may do in one project. */
export interface ProjectGrant {
  readonly project: string;
  /** Predefined roles (`roles/...`), each with why the identity needs it. */
  readonly roles: Readonly<Record<string, string>>;
  /**
   * Single permissions no suitable predefined role holds without much more, each with why: granted
   * through a custom role `customRoleId` in this project.
   */
  readonly permissions?: Readonly<Record<string, string>>;
  /** Checkov checks that object to a role by design, by role: check ID → why it does not apply. */
  readonly checkovSkips?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

export interface CiServiceAccountProps {
  /** The project the account lives in. */
  readonly project: string;
  /** Short name in Terraform addresses (`plan`, `deploy`): `ci_<name>`, `ci_<name>_<role>`, ... */
  readonly name: string;
  /** Service account ID: 6-30 characters. */
  readonly accountId: string;
  readonly description: string;
  /** Roles by project: the account's own project, and a Shared VPC host project where there is one. */
  readonly grants: readonly ProjectGrant[];
  /** Custom role ID (no hyphens) for `grants[].permissions`; required when any grant has permissions. */
  readonly customRoleId?: string;
  /** Its access to the state bucket: the bucket and one role on it. */
  readonly stateBucket: { readonly name: string; readonly role: string };
  /**
   * Who may act as it (`roles/iam.workloadIdentityUser`), by a short name in the address
   * (`pull_request` → `ci_<name>_pull_request`): Workload Identity principals of the jobs it serves.
   */
  readonly impersonators: Readonly<Record<string, string>>;
  /**
   * Terraform address name of the account's resources, `part` being `""` (the account), `_state`
   * or `_<impersonator key>`. @default the construct ID, snake case, then `part`
   */
  readonly address?: (part: string) => string;
  /**
   * Terraform address name of a grant in a project, `part` being `_<role slug>`, `""` (the custom
   * role) or `_custom`. @default `address(part)`, prefixed `host_` in another project
   */
  readonly grantAddress?: (part: string, inHostProject: boolean) => string;
}

/**
 * A service account for CI with no key: the jobs it names as impersonators act as it through
 * Workload Identity Federation. It holds the roles it is granted per project (a custom role for
 * single permissions) and one role on the state bucket, nothing else.
 */
export class CiServiceAccount extends Construct {
  readonly email: string;

  constructor(scope: Construct, id: string, props: CiServiceAccountProps) {
    super(scope, id);
    checkText(this, "project", props.project, PROJECT_ID);
    checkText(this, "accountId", props.accountId, SERVICE_ACCOUNT_ID);
    check(this, "name", props.name, /^[a-z][a-z0-9_]*$/.test(props.name) ? undefined : "must be lowercase letters, digits or '_' (it is part of Terraform addresses)");
    const needsCustomRole = props.grants.some((grant) => Object.keys(grant.permissions ?? {}).length > 0);
    if (needsCustomRole) {
      check(this, "customRoleId", props.customRoleId, props.customRoleId === undefined ? "is required when a grant has permissions" : CUSTOM_ROLE_ID.pattern.test(props.customRoleId) ? undefined : CUSTOM_ROLE_ID.rule);
    }
    for (const [i, grant] of props.grants.entries()) {
      checkText(this, `grants[${i}].project`, grant.project, PROJECT_ID);
      for (const [role, why] of Object.entries(grant.roles)) {
        checkText(this, `grants[${i}].roles`, role, IAM_ROLE);
        checkReason(this, `grants[${i}].roles.${role}`, why);
      }
      for (const [permission, why] of Object.entries(grant.permissions ?? {})) checkReason(this, `grants[${i}].permissions.${permission}`, why);
      for (const role of Object.keys(grant.checkovSkips ?? {})) check(this, `grants[${i}].checkovSkips`, role, role in grant.roles ? undefined : "must name a role of the grant");
    }
    checkText(this, "stateBucket.role", props.stateBucket.role, IAM_ROLE);
    for (const [key, member] of Object.entries(props.impersonators)) checkText(this, `impersonators.${key}`, member, IAM_MEMBER);

    const ci = props.address ?? ((part: string) => defaultAddress(id) + part);
    const account = addressed(new ServiceAccount(this, "account", {
      project: props.project,
      accountId: props.accountId,
      displayName: `CI ${props.name}`,
      description: props.description,
    }), ci(""));
    this.email = account.email;
    const member = `serviceAccount:${account.email}`;

    for (const grant of props.grants) {
      const inHostProject = grant.project !== props.project;
      const grantId = (part: string) => props.grantAddress ? props.grantAddress(part, inHostProject) : `${inHostProject ? "host_" : ""}${ci(part)}`;
      for (const role of Object.keys(grant.roles)) {
        const binding = addressed(new ProjectIamMember(this, `${grant.project}-${roleSlug(role)}`, { project: grant.project, role, member }), grantId(`_${roleSlug(role)}`));
        for (const [checkId, reason] of Object.entries(grant.checkovSkips?.[role] ?? {})) skipCheckov(binding, checkId, reason);
      }
      const permissions = Object.keys(grant.permissions ?? {});
      if (permissions.length) {
        const role = addressed(new ProjectIamCustomRole(this, `${grant.project}-custom-role`, {
          project: grant.project,
          roleId: props.customRoleId!,
          title: `CI ${props.name}: single permissions`,
          description: `${props.description}: permissions no predefined role of its grants holds`,
          permissions,
        }), grantId(""));
        addressed(new ProjectIamMember(this, `${grant.project}-custom`, { project: grant.project, role: role.name, member }), grantId("_custom"));
      }
    }

    addressed(new StorageBucketIamMember(this, "state", { bucket: props.stateBucket.name, role: props.stateBucket.role, member }), ci("_state"));
    for (const [key, principal] of Object.entries(props.impersonators)) {
      addressed(new ServiceAccountIamMember(this, `impersonator-${key}`, { serviceAccountId: account.name, role: "roles/iam.workloadIdentityUser", member: principal }), ci(`_${key}`));
    }
  }
}

/**
 * A role in a Terraform address: `roles/compute.networkViewer` → `compute_network_viewer`, a
 * custom role `projects/netra-host/roles/redisReader` → `netra-host_redis_reader` (a slash in an
 * address is invalid).
 */
function roleSlug(role: string): string {
  return role
    // Stryker disable next-line Regex: the role rule (IAM_ROLE) lets a role start only so, anchored or not
    .replace(/^(?:projects\/([^/]+)\/)?roles\//, (_, project?: string) => (project ? `${project}_` : ""))
    .replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
    .replace(/\./g, "_");
}
