resource "oci_ons_notification_topic" "poll" {
  compartment_id = var.compartment_ocid
  name           = "${var.name_prefix}-poll"
  description    = "POLL messages: submit-function and poll-function publish, poll-function listens."
}

resource "oci_ons_notification_topic" "transfer" {
  compartment_id = var.compartment_ocid
  name           = "${var.name_prefix}-transfer"
  description    = "TRANSFER messages: poll-function publishes, transfer-function listens and continues."
}

resource "oci_ons_notification_topic" "status" {
  compartment_id = var.compartment_ocid
  name           = "${var.name_prefix}-status"
  description    = "STATUS messages: every run that ends, with its state and reason."
}

resource "oci_ons_subscription" "poll" {
  compartment_id = var.compartment_ocid
  topic_id       = oci_ons_notification_topic.poll.id
  protocol       = "ORACLE_FUNCTIONS"
  endpoint       = oci_functions_function.poll.id
}

resource "oci_ons_subscription" "transfer" {
  compartment_id = var.compartment_ocid
  topic_id       = oci_ons_notification_topic.transfer.id
  protocol       = "ORACLE_FUNCTIONS"
  endpoint       = oci_functions_function.transfer.id
}

resource "oci_ons_subscription" "status_email" {
  count          = var.status_email != "" ? 1 : 0
  compartment_id = var.compartment_ocid
  topic_id       = oci_ons_notification_topic.status.id
  protocol       = "EMAIL"
  endpoint       = var.status_email
}
