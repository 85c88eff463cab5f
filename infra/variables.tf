variable "tenancy_ocid" {
  description = "OCID of the tenancy (filled in by Resource Manager)."
  type        = string
}

variable "region" {
  description = "Region to deploy into, e.g. us-ashburn-1 (filled in by Resource Manager)."
  type        = string
}

variable "home_region" {
  description = "The tenancy's home region, where the dynamic group and policies are created."
  type        = string
}

variable "compartment_ocid" {
  description = "Compartment for every resource of the deployment."
  type        = string
}

variable "name_prefix" {
  description = "Prefix of every resource name; topic names must be unique in the tenancy."
  type        = string
  default     = "fusion-extract"
}

variable "subnet_ocid" {
  description = "Subnet of the Functions application; it needs egress to Fusion, IDCS and OCI services (NAT or service gateway)."
  type        = string
}

variable "submit_image" {
  description = "Image of submit-function in OCIR, as pushed by fn deploy/fn build, e.g. iad.ocir.io/ns/fusion-extract/submit-function:0.1.0."
  type        = string
}

variable "poll_image" {
  description = "Image of poll-function in OCIR."
  type        = string
}

variable "transfer_image" {
  description = "Image of transfer-function in OCIR."
  type        = string
}

variable "fusion_base_url" {
  description = "Base URL of the Fusion pod (FUSION_BASE_URL), e.g. https://fa-abcd-saasfaprod1.fa.ocs.oraclecloud.com."
  type        = string
}

variable "idcs_url" {
  description = "Base URL of the identity domain that issues Fusion tokens (IDCS_URL)."
  type        = string
}

variable "fusion_scope" {
  description = "OAuth scope for the batch API (FUSION_SCOPE); empty to use the secret's scope field."
  type        = string
  default     = ""
}

variable "existing_secret_ocid" {
  description = "OCID of an existing Vault secret with the IDCS credentials JSON. Empty: a secret is created in vault_ocid."
  type        = string
  default     = ""
}

variable "vault_ocid" {
  description = "Vault for the secret created when existing_secret_ocid is empty."
  type        = string
  default     = ""
}

variable "vault_key_ocid" {
  description = "Master encryption key (AES) of vault_ocid for the secret created when existing_secret_ocid is empty."
  type        = string
  default     = ""
}

variable "idcs_credentials_json" {
  description = "Optional: the IDCS credentials JSON to store in the created secret. Empty (recommended): a placeholder is stored and you put the real content with the OCI CLI, so no credential is ever in Terraform state."
  type        = string
  default     = ""
  sensitive   = true
}

variable "multipart_abort_days" {
  description = "Uncommitted multipart uploads older than this many days are removed from both buckets."
  type        = number
  default     = 2
}

variable "landing_versioning" {
  description = "Keep object versions in the landing bucket (Enabled or Disabled)."
  type        = string
  default     = "Disabled"
}

variable "landing_retention_days" {
  description = "Delete landed objects after this many days; 0 keeps them."
  type        = number
  default     = 0
}

variable "status_email" {
  description = "E-mail address told of every run that ends (a subscription to confirm); empty for none."
  type        = string
  default     = ""
}

variable "di_workspace_ocid" {
  description = "Data Integration workspace whose published task loads each landed run; empty for no Data Integration."
  type        = string
  default     = ""
}

variable "di_application_key" {
  description = "Key of the Data Integration application holding the task."
  type        = string
  default     = ""
}

variable "di_task_key" {
  description = "Key of the published task; it gets the parameters LANDED_PREFIX and MANIFEST_PATH."
  type        = string
  default     = ""
}

variable "max_run_minutes" {
  description = "MAX_RUN_MINUTES: longest a run may stay in one phase (requested, Fusion job, transfer, Data Integration run) before it is TIMED_OUT."
  type        = number
  default     = 720
}

variable "log_level" {
  description = "LOG_LEVEL of the three functions: DEBUG, INFO, WARN or ERROR."
  type        = string
  default     = "INFO"
}

variable "sweep_enabled" {
  description = "Create the Resource Scheduler schedule that runs the sweep (lost events, stalled runs, time limits)."
  type        = bool
  default     = true
}

variable "sweep_recurrence" {
  description = "When the sweep runs, as an iCalendar RRULE (Resource Scheduler allows at most hourly)."
  type        = string
  default     = "FREQ=HOURLY;INTERVAL=1"
}
