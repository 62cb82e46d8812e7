# An example root: flagsync in an existing VPC, plus the billing alarm in us-east-1.
# Copy this folder into your infrastructure repository, set a backend (an encrypted S3 bucket:
# the state holds the generated secrets), fill terraform.tfvars, then init, plan and apply.

terraform {
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 6.0"
    }
  }

  # backend "s3" {
  #   bucket       = "my-terraform-state"
  #   key          = "flagsync/production.tfstate"
  #   region       = "eu-west-1"
  #   encrypt      = true
  #   use_lockfile = true
  # }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = { app = "flagsync", environment = var.environment }
  }
}

# Billing metrics exist in us-east-1 only.
provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"

  default_tags {
    tags = { app = "flagsync", environment = var.environment }
  }
}

module "flagsync" {
  source = "../../modules/flagsync"

  name               = "flagsync-${var.environment}"
  vpc_id             = var.vpc_id
  private_subnet_ids = var.private_subnet_ids
  alb_subnet_ids     = var.public_subnet_ids
  certificate_arn    = var.certificate_arn
  api_image          = var.api_image
  worker_image       = var.worker_image
  size               = var.size
  alarm_email        = var.alarm_email
}

module "billing_alarm" {
  source    = "../../modules/billing-alarm"
  providers = { aws = aws.us_east_1 }

  name          = "flagsync-${var.environment}"
  threshold_usd = var.billing_alarm_threshold_usd
  email         = var.alarm_email
}
