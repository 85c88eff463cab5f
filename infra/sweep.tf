# The sweep (README "No run is forgotten"): OCI Resource Scheduler invokes submit-function with {"sweep": true},
# which starts request objects whose event was lost, re-sends the message of a stage that stopped moving and
# times out runs past MAX_RUN_MINUTES. The BODY parameter must be one JSON text (provider 8.22.0 fixed how it is
# passed to a function, see versions.tf). Resource Scheduler refuses recurrences more frequent than hourly.
resource "oci_resource_scheduler_schedule" "sweep" {
  count              = var.sweep_enabled ? 1 : 0
  compartment_id     = var.compartment_ocid
  display_name       = "${var.name_prefix}-sweep"
  description        = "Invokes submit-function with {\"sweep\": true}: lost events and stalled runs are finished."
  action             = "START_RESOURCE"
  recurrence_type    = "ICAL"
  recurrence_details = var.sweep_recurrence

  resources {
    id = oci_functions_function.submit.id
    parameters {
      parameter_type = "BODY"
      value          = [jsonencode({ sweep = true })]
    }
  }
}

# A schedule may act only as far as a policy lets its principal (Resource Scheduler "Example Policies", example 2:
# any-user with request.principal.type 'resourceschedule' and the schedule's id). Here: invoke submit-function
# only (Functions "Controlling Access to Invoke": use fn-invocation, target.function.id), and read it.
resource "oci_identity_policy" "sweep" {
  count          = var.sweep_enabled ? 1 : 0
  provider       = oci.home
  compartment_id = var.compartment_ocid
  name           = "${var.name_prefix}-sweep"
  description    = "The fusion-extract sweep schedule may invoke submit-function."
  statements = [
    "Allow any-user to use fn-invocation in compartment id ${var.compartment_ocid} where all {request.principal.type = 'resourceschedule', request.principal.id = '${oci_resource_scheduler_schedule.sweep[0].id}', target.function.id = '${oci_functions_function.submit.id}'}",
    "Allow any-user to read fn-function in compartment id ${var.compartment_ocid} where all {request.principal.type = 'resourceschedule', request.principal.id = '${oci_resource_scheduler_schedule.sweep[0].id}'}",
  ]
}
