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
  description = "Prefix of every resource name (buckets, topics, dynamic group and policies, some unique tenancy-wide): 1 to 40 lowercase letters, digits or hyphens, starting with a letter."
  type        = string
  default     = "fusion-extract"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,39}$", var.name_prefix))
    error_message = "name_prefix must be 1 to 40 lowercase letters, digits or hyphens, starting with a letter: it becomes bucket, topic, dynamic-group and policy names, whose rules differ."
  }
}

variable "vcn_ocid" {
  description = "VCN of subnet_ocid. Terraform does not use it; the Resource Manager form lists the subnets of this VCN."
  type        = string
  default     = ""
}

variable "subnet_ocid" {
  description = "Subnet of the Functions application; it needs egress to Fusion, IDCS and OCI services (NAT or service gateway)."
  type        = string
}

variable "submit_image" {
  description = "Image of submit-function in OCIR with a tag unique to its build (e.g. the git commit) or a digest: OCI Functions does not pull a re-pushed tag again."
  type        = string

  validation {
    condition     = can(regex("(@sha256:[0-9a-f]{64}|:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})$", var.submit_image)) && !can(regex(":latest$", var.submit_image))
    error_message = "submit_image needs a tag unique to its build (e.g. :0.1.0-3f2a9c1) or a digest (@sha256:...), not :latest or none: a function keeps the image it pulled first for a tag."
  }
}

variable "poll_image" {
  description = "Image of poll-function in OCIR with a tag unique to its build (e.g. the git commit) or a digest: OCI Functions does not pull a re-pushed tag again."
  type        = string

  validation {
    condition     = can(regex("(@sha256:[0-9a-f]{64}|:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})$", var.poll_image)) && !can(regex(":latest$", var.poll_image))
    error_message = "poll_image needs a tag unique to its build (e.g. :0.1.0-3f2a9c1) or a digest (@sha256:...), not :latest or none: a function keeps the image it pulled first for a tag."
  }
}

variable "transfer_image" {
  description = "Image of transfer-function in OCIR with a tag unique to its build (e.g. the git commit) or a digest: OCI Functions does not pull a re-pushed tag again."
  type        = string

  validation {
    condition     = can(regex("(@sha256:[0-9a-f]{64}|:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})$", var.transfer_image)) && !can(regex(":latest$", var.transfer_image))
    error_message = "transfer_image needs a tag unique to its build (e.g. :0.1.0-3f2a9c1) or a digest (@sha256:...), not :latest or none: a function keeps the image it pulled first for a tag."
  }
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

variable "secret_compartment_ocid" {
  description = "Compartment of existing_secret_ocid, when it is not compartment_ocid (the read grant goes there). Empty: compartment_ocid."
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
  description = "Object versions in the landing bucket: Disabled (only when the bucket is created), Enabled, or Suspended (the only way back once Enabled)."
  type        = string
  default     = "Disabled"

  validation {
    condition     = contains(["Disabled", "Enabled", "Suspended"], var.landing_versioning)
    error_message = "landing_versioning must be Disabled, Enabled or Suspended; after Enabled, Object Storage accepts only Suspended, never Disabled again."
  }
}

variable "landing_previous_versions_days" {
  description = "With versioning on, days after which a previous version of a landed object is deleted (otherwise old versions stay forever)."
  type        = number
  default     = 30

  validation {
    condition     = var.landing_previous_versions_days >= 1
    error_message = "landing_previous_versions_days must be 1 or more."
  }
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

variable "di_workspace_compartment_ocid" {
  description = "Compartment of di_workspace_ocid, when it is not compartment_ocid (the grant to run its task goes there). Empty: compartment_ocid."
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

variable "transfer_workers" {
  description = "TRANSFER_WORKERS: transfer-function invocations that land one run's output files at once (1 to 16); 1 lands them one after another."
  type        = number
  default     = 1

  validation {
    condition     = var.transfer_workers >= 1 && var.transfer_workers <= 16 && floor(var.transfer_workers) == var.transfer_workers
    error_message = "transfer_workers must be a whole number from 1 to 16."
  }
}

variable "metrics_enabled" {
  description = "Post run metrics to OCI Monitoring (namespace fusion_extract) and raise an alarm on the STATUS topic when a run fails or times out."
  type        = bool
  default     = true
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

variable "schedules" {
  description = "Extracts to run on a schedule, one Resource Scheduler schedule each: name => { cron (UNIX cron, 5 fields, UTC), extract_name, mode (FULL or INCREMENTAL, default INCREMENTAL), landing_prefix (default LANDING_PREFIX), run_id (a run id template, default <name>-{date}: one run per UTC day) }."
  type = map(object({
    cron           = string
    extract_name   = string
    mode           = optional(string, "INCREMENTAL")
    landing_prefix = optional(string, "")
    run_id         = optional(string, "")
  }))
  default = {}

  validation {
    condition     = alltrue([for name, s in var.schedules : can(regex("^[a-z0-9][a-z0-9-]{0,29}$", name))])
    error_message = "Each schedule name must be 1 to 30 lower-case letters, digits or '-', starting with a letter or digit: it names the schedule, its policy and its runs."
  }
  validation {
    condition     = alltrue([for s in values(var.schedules) : can(regex("^\\S+( \\S+){4}$", trimspace(s.cron)))])
    error_message = "Each schedule's cron must be a UNIX cron expression of 5 fields (minute hour day-of-month month day-of-week), in UTC, e.g. \"0 2 * * *\"."
  }
  validation {
    condition     = alltrue([for s in values(var.schedules) : contains(["FULL", "INCREMENTAL"], s.mode)])
    error_message = "Each schedule's mode must be FULL or INCREMENTAL."
  }
  validation {
    condition     = alltrue([for s in values(var.schedules) : s.run_id == "" || can(regex("\\{(date|hour|minute|week|month)\\}", s.run_id))])
    error_message = "A schedule's run_id must hold {date}, {hour}, {minute}, {week} or {month}: without one, every occurrence would be the same run."
  }
}
