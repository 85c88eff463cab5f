# An alarm per kind of run that ends badly (README "Metrics and alarms"): the functions post runs_failed and
# runs_timed_out (1 per run) in the metrics namespace; any in five minutes notifies the STATUS topic, and with it
# the optional e-mail subscription.
resource "oci_monitoring_alarm" "runs" {
  for_each              = var.metrics_enabled ? local.run_alarms : {}
  compartment_id        = var.compartment_ocid
  metric_compartment_id = var.compartment_ocid
  namespace             = local.metrics_namespace
  display_name          = "${var.name_prefix}-runs-${each.key}"
  query                 = each.value
  severity              = "CRITICAL"
  destinations          = [oci_ons_notification_topic.status.id]
  is_enabled            = true
  message_format        = "ONS_OPTIMIZED"
  pending_duration      = "PT1M"
  body                  = "A fusion-extract run ended ${each.key}. Find it with: fusion-extract runs --config <file> --since 1h --state FAILED (or TIMED_OUT); its reason says what to do."
}
