# Extracts on a schedule (README "Schedules"): one OCI Resource Scheduler schedule per entry of var.schedules,
# invoking submit-function on a UNIX cron recurrence (UTC) with the entry's request as the BODY parameter (one
# JSON text; provider 8.22.0 fixed how it reaches a function). The request names its schedule; its runId is a
# template filled from the time the invocation arrives (without run_id, submit-function uses <schedule>-{date}),
# so each occurrence is one run and a repeated invocation finds that run.
locals {
  schedule_requests = { for name, s in var.schedules : name => {
    extractName   = s.extract_name
    mode          = s.mode
    landingPrefix = s.landing_prefix
    runId         = s.run_id
    schedule      = name
  } }
}

resource "oci_resource_scheduler_schedule" "extract" {
  for_each           = var.schedules
  compartment_id     = var.compartment_ocid
  display_name       = "${var.name_prefix}-${each.key}"
  description        = "Invokes submit-function with the ${each.key} extract request."
  action             = "START_RESOURCE"
  recurrence_type    = "CRON"
  recurrence_details = each.value.cron

  resources {
    id = oci_functions_function.submit.id
    parameters {
      parameter_type = "BODY"
      value          = [jsonencode({ for key, value in local.schedule_requests[each.key] : key => value if value != "" })]
    }
  }
}

# As for the sweep (Resource Scheduler "Example Policies", example 2; Functions "Controlling Access to Invoke"):
# each schedule's principal may invoke submit-function, and nothing else.
resource "oci_identity_policy" "schedule" {
  for_each       = var.schedules
  provider       = oci.home
  compartment_id = var.compartment_ocid
  name           = "${var.name_prefix}-schedule-${each.key}"
  description    = "The ${each.key} extract schedule may invoke submit-function."
  statements = [
    "Allow any-user to use fn-invocation in compartment id ${var.compartment_ocid} where all {request.principal.type = 'resourceschedule', request.principal.id = '${oci_resource_scheduler_schedule.extract[each.key].id}', target.function.id = '${oci_functions_function.submit.id}'}",
    "Allow any-user to read fn-function in compartment id ${var.compartment_ocid} where all {request.principal.type = 'resourceschedule', request.principal.id = '${oci_resource_scheduler_schedule.extract[each.key].id}'}",
  ]
}
