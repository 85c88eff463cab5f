terraform {
  required_version = ">= 1.3"
  required_providers {
    oci = {
      source  = "oracle/oci"
      version = ">= 8.22, < 9.0"
    }
  }
}

provider "oci" {
  region = var.region
}

# Identity resources (dynamic group, policies) live in the home region.
provider "oci" {
  alias  = "home"
  region = var.home_region
}
