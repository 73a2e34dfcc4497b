import { TerraformStack, TerraformVariable } from "cdktf";

const PAGERDUTY_KEY = "alert_pagerduty_service_key";

/**
 * The PagerDuty service's integration key, a secret the apply gives as
 * TF_VAR_alert_pagerduty_service_key, never configuration (which is committed). Ephemeral, for the
 * channel's write-only `service_key_wo`: in no plan file and no state, so a plan made without it (a
 * pull request's, which holds no secrets) is the apply's plan. Its default "" keeps a run without a
 * terminal from prompting; an apply without the key is refused before the channel is created.
 */
export function pagerDutyServiceKey(stack: TerraformStack): string {
  const key = new TerraformVariable(stack, PAGERDUTY_KEY, {
    type: "string",
    default: "",
    sensitive: true,
    description: "Integration key of the PagerDuty service the alerts page",
  });
  key.addOverride("ephemeral", true);
  key.addValidation({
    condition: `\${!terraform.applying || var.${PAGERDUTY_KEY} != ""}`,
    errorMessage: `${PAGERDUTY_KEY} is empty: the apply must give the PagerDuty service's integration key as TF_VAR_${PAGERDUTY_KEY} (a secret: never in config/environments.json).`,
  });
  return key.stringValue;
}
