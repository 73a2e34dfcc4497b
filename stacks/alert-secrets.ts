import { Fn, TerraformStack, TerraformVariable } from "cdktf";

/** The PagerDuty service's integration key, for the PagerDuty notification channel. */
export function pagerDutyServiceKey(stack: TerraformStack): string {
  return secret(stack, "alert_pagerduty_service_key", "Integration key of the PagerDuty service the alerts page", (key) => Fn.can(Fn.regex("^[[:graph:]]+$", key)), "must be the PagerDuty service's integration key, without spaces");
}

/** The webhook_tokenauth channel's URL, which carries its token. */
export function webhookUrl(stack: TerraformStack): string {
  return secret(stack, "alert_webhook_url", "The https URL the alerts are posted to, its token included", (url) => Fn.startswith(url, "https://"), "must be the webhook's https URL, its token included");
}

/**
 * A secret the deploy gives as `TF_VAR_<name>`, never configuration (which is committed): sensitive,
 * so plans print `(sensitive value)`; it is still in state, as the Redis passwords are. Its default
 * is "", as backend_image's, so a deploy without the secret fails at once instead of prompting.
 */
function secret(stack: TerraformStack, name: string, description: string, condition: (value: string) => unknown, rule: string): string {
  const variable = new TerraformVariable(stack, name, { type: "string", default: "", sensitive: true, description });
  variable.addValidation({ condition: condition(variable.stringValue), errorMessage: `${name} ${rule}; set it with TF_VAR_${name} (a secret: never in config/environments.json).` });
  return variable.stringValue;
}
