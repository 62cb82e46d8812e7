variable "region" {
  description = "Region of the stack."
  type        = string
  default     = "eu-west-1"
}

variable "environment" {
  description = "Deployment name suffix, e.g. prod or staging."
  type        = string
  default     = "prod"
}

variable "vpc_id" {
  description = "The existing VPC."
  type        = string
}

variable "private_subnet_ids" {
  description = "2 or 3 private subnets in different AZs, with a NAT gateway or VPC endpoints."
  type        = list(string)
}

variable "public_subnet_ids" {
  description = "Public subnets of the internet-facing ALB."
  type        = list(string)
}

variable "certificate_arn" {
  description = "ACM certificate of the API's host name; null serves plain HTTP."
  type        = string
  default     = null
}

variable "api_image" {
  description = "API image URI."
  type        = string
}

variable "worker_image" {
  description = "Worker image URI."
  type        = string
}

variable "size" {
  description = "small, medium or large (docs/operations.md)."
  type        = string
  default     = "small"
}

variable "alarm_email" {
  description = "Where alarms go; null: subscribe something to the topics yourself."
  type        = string
  default     = null
}

variable "billing_alarm_threshold_usd" {
  description = "Monthly account spend that raises the billing alarm. The small size alone costs more than the 50 USD default: see docs/operations.md."
  type        = number
  default     = 50
}
