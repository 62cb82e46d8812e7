terraform {
  # 1.11: the test framework's mock providers and override blocks used in tests/.
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 6.0"
    }
  }
}
