# The IDCS credentials: {"clientId":"..","clientSecret":"..","username":"..","password":"..","scope":".."}
# (username, password and scope optional). Unless idcs_credentials_json is given, a placeholder is stored and
# the real content is put with the OCI CLI, so that no credential is in Terraform state; later changes to the
# secret's content are ignored here for the same reason.
resource "oci_vault_secret" "idcs" {
  count          = local.create_secret ? 1 : 0
  compartment_id = var.compartment_ocid
  vault_id       = var.vault_ocid
  key_id         = var.vault_key_ocid
  secret_name    = "${var.name_prefix}-idcs-credentials"
  description    = "IDCS client credentials for the Fusion batch API (fusion-extract)."

  secret_content {
    content_type = "BASE64"
    content      = base64encode(var.idcs_credentials_json != "" ? var.idcs_credentials_json : "{\"clientId\":\"set-me\",\"clientSecret\":\"set-me\"}")
  }

  lifecycle {
    ignore_changes = [secret_content]
  }
}
