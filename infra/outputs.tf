output "submit_function_ocid" {
  description = "OCID of submit-function."
  value       = oci_functions_function.submit.id
}

output "poll_function_ocid" {
  description = "OCID of poll-function."
  value       = oci_functions_function.poll.id
}

output "transfer_function_ocid" {
  description = "OCID of transfer-function."
  value       = oci_functions_function.transfer.id
}

output "invoke_endpoints" {
  description = "Invoke endpoints of the three functions."
  value = {
    submit   = oci_functions_function.submit.invoke_endpoint
    poll     = oci_functions_function.poll.invoke_endpoint
    transfer = oci_functions_function.transfer.invoke_endpoint
  }
}

output "control_bucket" {
  description = "Bucket for request objects (under requests/) and the run ledger (runs/)."
  value       = oci_objectstorage_bucket.control.name
}

output "landing_bucket" {
  description = "Bucket the extracted files land in."
  value       = oci_objectstorage_bucket.landing.name
}

output "topic_ocids" {
  description = "OCIDs of the POLL, TRANSFER and STATUS topics."
  value = {
    poll     = oci_ons_notification_topic.poll.id
    transfer = oci_ons_notification_topic.transfer.id
    status   = oci_ons_notification_topic.status.id
  }
}

output "secret_ocid" {
  description = "Vault secret holding the IDCS credentials; put the real JSON with: oci vault secret update-base64 --secret-id <this> --secret-content-content <base64>."
  value       = local.secret_ocid
}

output "fn_invoke" {
  description = "A ready fn invoke line that starts a full extract (replace the extract name)."
  value       = "echo '{\"extractName\":\"MyExtract\",\"mode\":\"FULL\"}' | fn invoke ${var.name_prefix} submit-function"
}

output "doctor_config" {
  description = "The functions' configuration as KEY=VALUE lines, for fusion-extract doctor (and run, status, sweep) on a workstation: terraform output -raw doctor_config > deployment.conf."
  value = join("\n", concat(
    [for key, value in merge(oci_functions_function.submit.config, oci_functions_function.poll.config, oci_functions_function.transfer.config) : "${key}=${value}"],
    ["OCI_AUTH=config_file", ""]
  ))
}
