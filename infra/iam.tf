# The three functions, by their resource principal.
resource "oci_identity_dynamic_group" "functions" {
  provider       = oci.home
  compartment_id = var.tenancy_ocid
  name           = "${var.name_prefix}-functions"
  description    = "The fusion-extract functions."
  matching_rule  = "ALL {resource.type = 'fnfunc', resource.compartment.id = '${var.compartment_ocid}'}"
}

# Only what the functions use: the one secret, the two buckets, the topics (the functions publish to them).
resource "oci_identity_policy" "functions" {
  provider       = oci.home
  compartment_id = var.compartment_ocid
  name           = "${var.name_prefix}-functions"
  description    = "What the fusion-extract functions may do."
  statements = [
    "Allow dynamic-group ${oci_identity_dynamic_group.functions.name} to read secret-bundles in compartment id ${var.compartment_ocid} where target.secret.id = '${local.secret_ocid}'",
    "Allow dynamic-group ${oci_identity_dynamic_group.functions.name} to manage objects in compartment id ${var.compartment_ocid} where any {target.bucket.name = '${local.control_bucket}', target.bucket.name = '${local.landing_bucket}'}",
    "Allow dynamic-group ${oci_identity_dynamic_group.functions.name} to read buckets in compartment id ${var.compartment_ocid} where any {target.bucket.name = '${local.control_bucket}', target.bucket.name = '${local.landing_bucket}'}",
    "Allow dynamic-group ${oci_identity_dynamic_group.functions.name} to use ons-topics in compartment id ${var.compartment_ocid}",
  ]
}

# With Data Integration: running the one workspace's tasks, nothing else of it.
resource "oci_identity_policy" "dataintegration" {
  count          = local.di_enabled ? 1 : 0
  provider       = oci.home
  compartment_id = var.compartment_ocid
  name           = "${var.name_prefix}-dataintegration"
  description    = "The fusion-extract functions may run the configured Data Integration task."
  statements = [
    "Allow dynamic-group ${oci_identity_dynamic_group.functions.name} to use dis-workspaces in compartment id ${var.compartment_ocid} where all {target.workspace.id = '${var.di_workspace_ocid}', request.permission = 'DIS_WORKSPACE_OBJECT_EXECUTE'}",
  ]
}

# OCI Events may invoke the functions of this compartment (the request and manifest rules).
resource "oci_identity_policy" "events" {
  provider       = oci.home
  compartment_id = var.compartment_ocid
  name           = "${var.name_prefix}-events"
  description    = "OCI Events may invoke the fusion-extract functions."
  statements = [
    "Allow service cloudEvents to use functions-family in compartment id ${var.compartment_ocid}",
  ]
}
