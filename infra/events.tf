# A request object created under requests/ in the control bucket starts a run; so does a new version of one
# (an overwrite: updateobject, which Oracle's samples handle alike; its new ETag makes it a new run).
resource "oci_events_rule" "request" {
  compartment_id = var.compartment_ocid
  display_name   = "${var.name_prefix}-request"
  description    = "A new request object starts a Fusion extract run."
  is_enabled     = true
  condition = jsonencode({
    eventType = ["com.oraclecloud.objectstorage.createobject", "com.oraclecloud.objectstorage.updateobject"]
    data = {
      resourceName      = ["${local.request_prefix}*"]
      additionalDetails = { bucketName = [oci_objectstorage_bucket.control.name] }
    }
  })

  actions {
    action {
      action_type = "FAAS"
      is_enabled  = true
      function_id = oci_functions_function.submit.id
    }
  }
}

# A landed _manifest.json starts the Data Integration task, when one is configured.
resource "oci_events_rule" "manifest" {
  count          = local.di_enabled ? 1 : 0
  compartment_id = var.compartment_ocid
  display_name   = "${var.name_prefix}-manifest"
  description    = "A landed manifest starts the Data Integration load."
  is_enabled     = true
  condition = jsonencode({
    eventType = ["com.oraclecloud.objectstorage.createobject"]
    data = {
      resourceName      = ["*_manifest.json"]
      additionalDetails = { bucketName = [oci_objectstorage_bucket.landing.name] }
    }
  })

  actions {
    action {
      action_type = "FAAS"
      is_enabled  = true
      function_id = oci_functions_function.submit.id
    }
  }
}
