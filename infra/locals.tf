locals {
  control_bucket = "${var.name_prefix}-control"
  landing_bucket = "${var.name_prefix}-landing"
  request_prefix = "requests/"
  di_enabled     = var.di_workspace_ocid != "" && var.di_application_key != "" && var.di_task_key != ""
  create_secret  = var.existing_secret_ocid == ""
  secret_ocid    = local.create_secret ? oci_vault_secret.idcs[0].id : var.existing_secret_ocid
  # A secret or workspace may live in another compartment; the grants go where they are.
  secret_compartment       = local.create_secret || var.secret_compartment_ocid == "" ? var.compartment_ocid : var.secret_compartment_ocid
  di_workspace_compartment = var.di_workspace_compartment_ocid == "" ? var.compartment_ocid : var.di_workspace_compartment_ocid
  # Run metrics (README "Metrics and alarms"): one custom namespace, posted in the deployment compartment.
  metrics_namespace   = "fusion_extract"
  metrics_compartment = var.metrics_enabled ? var.compartment_ocid : ""
  run_alarms = {
    failed    = "runs_failed[5m].sum() > 0"
    timed_out = "runs_timed_out[5m].sum() > 0"
  }
}

# No compartment_id: with one, GetNamespace needs "manage objectstorage-namespaces", which a deployer rarely has.
data "oci_objectstorage_namespace" "this" {
}
