# The three functions, by their resource principal: matched by id, not every function of the compartment.
resource "oci_identity_dynamic_group" "functions" {
  provider       = oci.home
  compartment_id = var.tenancy_ocid
  name           = "${var.name_prefix}-functions"
  description    = "The fusion-extract functions."
  matching_rule  = "ANY {resource.id = '${oci_functions_function.submit.id}', resource.id = '${oci_functions_function.poll.id}', resource.id = '${oci_functions_function.transfer.id}'}"
}

# Only what the functions use: the one secret, the two buckets, the topics (the functions publish to them).
resource "oci_identity_policy" "functions" {
  provider       = oci.home
  compartment_id = var.compartment_ocid
  name           = "${var.name_prefix}-functions"
  description    = "What the fusion-extract functions may do."
  statements = [
    "Allow dynamic-group ${oci_identity_dynamic_group.functions.name} to read secret-bundles in compartment id ${local.secret_compartment} where target.secret.id = '${local.secret_ocid}'",
    "Allow dynamic-group ${oci_identity_dynamic_group.functions.name} to manage objects in compartment id ${var.compartment_ocid} where all {any {target.bucket.name = '${local.control_bucket}', target.bucket.name = '${local.landing_bucket}'}, any {request.permission = 'OBJECT_INSPECT', request.permission = 'OBJECT_READ', request.permission = 'OBJECT_CREATE', request.permission = 'OBJECT_OVERWRITE', request.permission = 'OBJECT_DELETE'}}",
    "Allow dynamic-group ${oci_identity_dynamic_group.functions.name} to read buckets in compartment id ${var.compartment_ocid} where any {target.bucket.name = '${local.control_bucket}', target.bucket.name = '${local.landing_bucket}'}",
    "Allow dynamic-group ${oci_identity_dynamic_group.functions.name} to use ons-topics in compartment id ${var.compartment_ocid} where request.permission = 'ONS_TOPIC_PUBLISH'",
  ]
}

# Run metrics: the functions may post custom metrics in the one namespace, nothing else of Monitoring
# (Monitoring's policy reference: "use metrics" with target.metrics.namespace).
resource "oci_identity_policy" "metrics" {
  count          = var.metrics_enabled ? 1 : 0
  provider       = oci.home
  compartment_id = var.compartment_ocid
  name           = "${var.name_prefix}-metrics"
  description    = "The fusion-extract functions may post run metrics in the ${local.metrics_namespace} namespace."
  statements = [
    "Allow dynamic-group ${oci_identity_dynamic_group.functions.name} to use metrics in compartment id ${var.compartment_ocid} where target.metrics.namespace = '${local.metrics_namespace}'",
  ]
}

# With Data Integration: the functions run the one workspace's tasks, nothing else of it (in the workspace's own
# compartment); the workspace, as its own principal, reads the landing bucket only (Oracle's Data Integration
# policies for Object Storage data assets, scoped to the one bucket).
resource "oci_identity_policy" "dataintegration" {
  count          = local.di_enabled ? 1 : 0
  provider       = oci.home
  compartment_id = var.compartment_ocid
  name           = "${var.name_prefix}-dataintegration"
  description    = "The fusion-extract functions may run the configured Data Integration task; its workspace may read the landing bucket."
  statements = [
    "Allow dynamic-group ${oci_identity_dynamic_group.functions.name} to use dis-workspaces in compartment id ${local.di_workspace_compartment} where all {target.workspace.id = '${var.di_workspace_ocid}', request.permission = 'DIS_WORKSPACE_OBJECT_EXECUTE'}",
    "Allow any-group to use buckets in compartment id ${var.compartment_ocid} where all {request.principal.type = 'disworkspace', request.principal.id = '${var.di_workspace_ocid}', target.bucket.name = '${local.landing_bucket}'}",
    "Allow any-group to manage objects in compartment id ${var.compartment_ocid} where all {request.principal.type = 'disworkspace', request.principal.id = '${var.di_workspace_ocid}', target.bucket.name = '${local.landing_bucket}'}",
  ]
}

# Object Lifecycle Management acts as the Object Storage service of the region, which must be allowed to, in the
# root compartment (Object Storage "Using Object Lifecycle Management"); here only to list and delete, in the two buckets.
resource "oci_identity_policy" "objectstorage_lifecycle" {
  provider       = oci.home
  compartment_id = var.tenancy_ocid
  name           = "${var.name_prefix}-objectstorage-lifecycle"
  description    = "Object Storage in ${var.region} may run the fusion-extract buckets' lifecycle policies."
  statements = [
    "Allow service objectstorage-${var.region} to manage object-family in compartment id ${var.compartment_ocid} where all {any {target.bucket.name = '${local.control_bucket}', target.bucket.name = '${local.landing_bucket}'}, any {request.permission = 'BUCKET_INSPECT', request.permission = 'BUCKET_READ', request.permission = 'OBJECT_INSPECT', request.permission = 'OBJECT_DELETE', request.permission = 'OBJECT_VERSION_DELETE'}}",
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
