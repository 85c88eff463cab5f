# Each function gets exactly the configuration keys it reads (the README's configuration table; a test checks
# these maps against the code). Empty values are left out (the functions take a missing key as unset): an empty
# string in a function's config can show as a change on every plan.
resource "oci_functions_application" "app" {
  compartment_id = var.compartment_ocid
  display_name   = var.name_prefix
  subnet_ids     = [var.subnet_ocid]
  shape          = "GENERIC_X86"

  lifecycle {
    # Checked at plan time, so that a missing vault input fails before anything is created.
    precondition {
      condition     = var.existing_secret_ocid != "" || (var.vault_ocid != "" && var.vault_key_ocid != "")
      error_message = "Set existing_secret_ocid (a secret holding the IDCS credentials), or both vault_ocid and vault_key_ocid (to create one)."
    }
  }
}

resource "oci_functions_function" "submit" {
  application_id     = oci_functions_application.app.id
  display_name       = "submit-function"
  image              = var.submit_image
  memory_in_mbs      = 256
  timeout_in_seconds = 300
  config = { for key, value in {
    FUSION_BASE_URL          = var.fusion_base_url
    IDCS_URL                 = var.idcs_url
    IDCS_SECRET_OCID         = local.secret_ocid
    FUSION_SCOPE             = var.fusion_scope
    CONTROL_BUCKET           = oci_objectstorage_bucket.control.name
    OCI_NAMESPACE            = data.oci_objectstorage_namespace.this.namespace
    STATUS_TOPIC_OCID        = oci_ons_notification_topic.status.id
    STATUS_TOPIC_ENDPOINT    = oci_ons_notification_topic.status.api_endpoint
    LOG_LEVEL                = var.log_level
    DI_WORKSPACE_OCID        = var.di_workspace_ocid
    DI_APPLICATION_KEY       = var.di_application_key
    DI_TASK_KEY              = var.di_task_key
    LANDING_BUCKET           = oci_objectstorage_bucket.landing.name
    REQUEST_PREFIX           = local.request_prefix
    POLL_TOPIC_OCID          = oci_ons_notification_topic.poll.id
    POLL_TOPIC_ENDPOINT      = oci_ons_notification_topic.poll.api_endpoint
    TRANSFER_TOPIC_OCID      = oci_ons_notification_topic.transfer.id
    TRANSFER_TOPIC_ENDPOINT  = oci_ons_notification_topic.transfer.api_endpoint
    MAX_RUN_MINUTES          = var.max_run_minutes
    METRICS_COMPARTMENT_OCID = local.metrics_compartment
    METRICS_NAMESPACE        = local.metrics_namespace
  } : key => value if value != "" }
}

resource "oci_functions_function" "poll" {
  application_id     = oci_functions_application.app.id
  display_name       = "poll-function"
  image              = var.poll_image
  memory_in_mbs      = 256
  timeout_in_seconds = 300
  config = { for key, value in {
    FUSION_BASE_URL          = var.fusion_base_url
    IDCS_URL                 = var.idcs_url
    IDCS_SECRET_OCID         = local.secret_ocid
    FUSION_SCOPE             = var.fusion_scope
    CONTROL_BUCKET           = oci_objectstorage_bucket.control.name
    OCI_NAMESPACE            = data.oci_objectstorage_namespace.this.namespace
    STATUS_TOPIC_OCID        = oci_ons_notification_topic.status.id
    STATUS_TOPIC_ENDPOINT    = oci_ons_notification_topic.status.api_endpoint
    LOG_LEVEL                = var.log_level
    DI_WORKSPACE_OCID        = var.di_workspace_ocid
    DI_APPLICATION_KEY       = var.di_application_key
    DI_TASK_KEY              = var.di_task_key
    POLL_TOPIC_OCID          = oci_ons_notification_topic.poll.id
    POLL_TOPIC_ENDPOINT      = oci_ons_notification_topic.poll.api_endpoint
    TRANSFER_TOPIC_OCID      = oci_ons_notification_topic.transfer.id
    TRANSFER_TOPIC_ENDPOINT  = oci_ons_notification_topic.transfer.api_endpoint
    MAX_RUN_MINUTES          = var.max_run_minutes
    METRICS_COMPARTMENT_OCID = local.metrics_compartment
    METRICS_NAMESPACE        = local.metrics_namespace
  } : key => value if value != "" }
}

resource "oci_functions_function" "transfer" {
  application_id     = oci_functions_application.app.id
  display_name       = "transfer-function"
  image              = var.transfer_image
  memory_in_mbs      = 512
  timeout_in_seconds = 300
  config = { for key, value in {
    FUSION_BASE_URL          = var.fusion_base_url
    IDCS_URL                 = var.idcs_url
    IDCS_SECRET_OCID         = local.secret_ocid
    FUSION_SCOPE             = var.fusion_scope
    CONTROL_BUCKET           = oci_objectstorage_bucket.control.name
    OCI_NAMESPACE            = data.oci_objectstorage_namespace.this.namespace
    STATUS_TOPIC_OCID        = oci_ons_notification_topic.status.id
    STATUS_TOPIC_ENDPOINT    = oci_ons_notification_topic.status.api_endpoint
    LOG_LEVEL                = var.log_level
    LANDING_BUCKET           = oci_objectstorage_bucket.landing.name
    TRANSFER_TOPIC_OCID      = oci_ons_notification_topic.transfer.id
    TRANSFER_TOPIC_ENDPOINT  = oci_ons_notification_topic.transfer.api_endpoint
    TRANSFER_WORKERS         = var.transfer_workers
    METRICS_COMPARTMENT_OCID = local.metrics_compartment
    METRICS_NAMESPACE        = local.metrics_namespace
  } : key => value if value != "" }
}
