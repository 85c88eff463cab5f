# Requests and the run ledger (runs/<runId>.json). Object events on: a new request object starts a run.
resource "oci_objectstorage_bucket" "control" {
  compartment_id        = var.compartment_ocid
  namespace             = data.oci_objectstorage_namespace.this.namespace
  name                  = local.control_bucket
  access_type           = "NoPublicAccess"
  object_events_enabled = true
}

# Landed files and their _manifest.json. Object events on: a landed manifest starts Data Integration.
resource "oci_objectstorage_bucket" "landing" {
  compartment_id        = var.compartment_ocid
  namespace             = data.oci_objectstorage_namespace.this.namespace
  name                  = local.landing_bucket
  access_type           = "NoPublicAccess"
  object_events_enabled = true
  versioning            = var.landing_versioning
}

resource "oci_objectstorage_object_lifecycle_policy" "control" {
  namespace  = data.oci_objectstorage_namespace.this.namespace
  bucket     = oci_objectstorage_bucket.control.name
  depends_on = [oci_identity_policy.objectstorage_lifecycle]

  rules {
    name        = "abort-uncommitted-multipart-uploads"
    action      = "ABORT"
    target      = "multipart-uploads"
    is_enabled  = true
    time_amount = var.multipart_abort_days
    time_unit   = "DAYS"
  }

  # What transfer workers keep of an ended run (each file's claim and the join, done, so that a late worker finds
  # them done and lands nothing twice) goes after 30 days.
  rules {
    name        = "delete-ended-transfer-work"
    action      = "DELETE"
    target      = "objects"
    is_enabled  = true
    time_amount = 30
    time_unit   = "DAYS"
    object_name_filter {
      inclusion_prefixes = ["work/"]
    }
  }
}

resource "oci_objectstorage_object_lifecycle_policy" "landing" {
  namespace  = data.oci_objectstorage_namespace.this.namespace
  bucket     = oci_objectstorage_bucket.landing.name
  depends_on = [oci_identity_policy.objectstorage_lifecycle]

  rules {
    name        = "abort-uncommitted-multipart-uploads"
    action      = "ABORT"
    target      = "multipart-uploads"
    is_enabled  = true
    time_amount = var.multipart_abort_days
    time_unit   = "DAYS"
  }

  # With versioning on, an overwritten or deleted object keeps its previous version until this rule removes it.
  dynamic "rules" {
    for_each = var.landing_versioning != "Disabled" ? [1] : []
    content {
      name        = "delete-previous-versions"
      action      = "DELETE"
      target      = "previous-object-versions"
      is_enabled  = true
      time_amount = var.landing_previous_versions_days
      time_unit   = "DAYS"
    }
  }

  dynamic "rules" {
    for_each = var.landing_retention_days > 0 ? [1] : []
    content {
      name        = "delete-old-landed-objects"
      action      = "DELETE"
      target      = "objects"
      is_enabled  = true
      time_amount = var.landing_retention_days
      time_unit   = "DAYS"
    }
  }
}
