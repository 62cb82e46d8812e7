# Inputs. Only the network and the images are required; everything else has a default that
# fits the "small" size (see docs/operations.md for what each size costs).

variable "name" {
  description = "Prefix of every resource name; one deployment (e.g. flagsync-prod) per name and region."
  type        = string
  default     = "flagsync"

  validation {
    # ElastiCache replication group ids are at most 40 characters, ALB and target group names 32.
    condition     = can(regex("^[a-z][a-z0-9-]{1,19}$", var.name))
    error_message = "name must be 2-20 characters of a-z, 0-9 and -, starting with a letter."
  }
}

variable "vpc_id" {
  description = "The existing VPC to deploy into."
  type        = string
}

variable "private_subnet_ids" {
  description = "Subnets, one per availability zone, for RDS, ElastiCache, MSK brokers and the ECS tasks. Tasks need a route to ECR, Secrets Manager and CloudWatch Logs (a NAT gateway or VPC endpoints)."
  type        = list(string)

  validation {
    # MSK takes two or three client subnets and needs its broker count to be a multiple of them.
    condition     = length(var.private_subnet_ids) >= 2 && length(var.private_subnet_ids) <= 3
    error_message = "private_subnet_ids must list 2 or 3 subnets in different availability zones."
  }
}

variable "alb_subnet_ids" {
  description = "Subnets of the load balancer: public subnets for an internet-facing ALB, private ones when alb_internal is true."
  type        = list(string)

  validation {
    condition     = length(var.alb_subnet_ids) >= 2
    error_message = "alb_subnet_ids must list at least 2 subnets in different availability zones."
  }
}

variable "alb_internal" {
  description = "true: the ALB gets private addresses only."
  type        = bool
  default     = false
}

variable "alb_ingress_cidrs" {
  description = "Who may reach the API through the ALB."
  type        = list(string)
  default     = ["0.0.0.0/0"]
}

variable "certificate_arn" {
  description = "ACM certificate for HTTPS on 443 (HTTP then redirects). null: plain HTTP on 80, for a first trial only."
  type        = string
  default     = null
}

variable "metrics_scraper_security_group_ids" {
  description = "Security groups (e.g. a Prometheus or ADOT collector) allowed to scrape the API on 8080 and the worker on 9091."
  type        = list(string)
  default     = []
}

variable "api_image" {
  description = "Image of the API (Dockerfile with MODULE=api), e.g. <account>.dkr.ecr.<region>.amazonaws.com/flagsync-api:1.4.0."
  type        = string
}

variable "worker_image" {
  description = "Image of the sync worker (Dockerfile with MODULE=sync-worker)."
  type        = string
}

variable "cpu_architecture" {
  description = "X86_64 or ARM64 (Graviton, about 20 % cheaper on Fargate); the images must be built for it."
  type        = string
  default     = "X86_64"

  validation {
    condition     = contains(["X86_64", "ARM64"], var.cpu_architecture)
    error_message = "cpu_architecture must be X86_64 or ARM64."
  }
}

variable "size" {
  description = "small, medium or large: instance classes, node counts and task sizes (locals.tf). Override single values with sizing."
  type        = string
  default     = "small"

  validation {
    condition     = contains(["small", "medium", "large"], var.size)
    error_message = "size must be small, medium or large."
  }
}

variable "sizing" {
  description = "Overrides of single values of the chosen size; unset attributes keep the size's value."
  type = object({
    db_instance_class      = optional(string)
    db_multi_az            = optional(bool)
    db_allocated_storage   = optional(number)
    redis_node_type        = optional(string)
    redis_nodes            = optional(number)
    kafka_instance_type    = optional(string)
    kafka_volume_size      = optional(number)
    api_cpu                = optional(number)
    api_memory             = optional(number)
    api_min_count          = optional(number)
    api_max_count          = optional(number)
    worker_cpu             = optional(number)
    worker_memory          = optional(number)
    sse_max_connections    = optional(number)
    change_partitions      = optional(number)
    request_count_target   = optional(number)
    api_cpu_target_percent = optional(number)
  })
  default = {}
}

variable "worker_count" {
  description = "Worker tasks, each with capture and sync: one captures (holds the slot's advisory lock), the others stand by and sync."
  type        = number
  default     = 2

  validation {
    condition     = var.worker_count >= 2
    error_message = "worker_count must be at least 2, so that a standby takes over the capture when a task dies."
  }
}

variable "postgres_major_version" {
  description = "PostgreSQL major version of the RDS instance (15 or later: the worker relies on max_slot_wal_keep_size and pgoutput)."
  type        = number
  default     = 16

  validation {
    condition     = var.postgres_major_version >= 15
    error_message = "postgres_major_version must be 15 or later."
  }
}

variable "max_slot_wal_keep_size_mb" {
  description = "Most WAL the replication slot may hold (MB) before PostgreSQL invalidates it instead of filling the disk. Keep it well below the free storage."
  type        = number
  default     = 5120
}

variable "wal_sender_timeout_ms" {
  description = "PostgreSQL ends a replication connection silent for this long, which frees the slot for the standby after a capture task vanished. Debezium reports status every 10 s."
  type        = number
  default     = 30000

  validation {
    condition     = var.wal_sender_timeout_ms >= 20000
    error_message = "wal_sender_timeout_ms must be at least 20000: Debezium's status updates come every 10 s."
  }
}

variable "backup_retention_days" {
  description = "RDS automated backups (point-in-time restore window)."
  type        = number
  default     = 7

  validation {
    condition     = var.backup_retention_days >= 1 && var.backup_retention_days <= 35
    error_message = "backup_retention_days must be 1 to 35: backups stay on."
  }
}

variable "deletion_protection" {
  description = "Protects the database and the ALB from terraform destroy."
  type        = bool
  default     = true
}

variable "kafka_version" {
  description = "Apache Kafka version of the MSK cluster."
  type        = string
  default     = "3.6.0"
}

variable "topic_prefix" {
  description = "TOPIC_PREFIX of the worker."
  type        = string
  default     = "flagsync"
}

variable "cache_ttl_seconds" {
  description = "CACHE_TTL_SECONDS of both processes."
  type        = number
  default     = 300
}

variable "default_environment" {
  description = "DEFAULT_ENVIRONMENT of the API (OFREP without X-Flag-Environment)."
  type        = string
  default     = "production"
}

variable "cors_allowed_origins" {
  description = "CORS_ALLOWED_ORIGINS of the API; empty: none."
  type        = list(string)
  default     = []
}

variable "secret_versions" {
  description = "Bump a number to generate a new value of that secret on the next apply (rotation; see docs/operations.md)."
  type = object({
    database = optional(number, 1)
    redis    = optional(number, 1)
    admin    = optional(number, 1)
    kafka    = optional(number, 1)
  })
  default = {}
}

variable "secret_recovery_days" {
  description = "Days a deleted secret can still be restored (0 deletes at once)."
  type        = number
  default     = 7
}

variable "container_insights" {
  description = "ECS Container Insights (per-task CPU, memory and network in CloudWatch); billed as CloudWatch metrics, not in docs/operations.md's estimate."
  type        = bool
  default     = true
}

variable "log_retention_days" {
  description = "CloudWatch Logs retention of both services."
  type        = number
  default     = 30
}

variable "alarm_email" {
  description = "If set, subscribed to the alarm topics (confirm the e-mail AWS sends)."
  type        = string
  default     = null
}

variable "alarm_thresholds" {
  description = "Thresholds of the CloudWatch alarms."
  type = object({
    slot_lag_bytes         = optional(number, 1073741824)
    transaction_logs_bytes = optional(number, 2147483648)
    free_storage_fraction  = optional(number, 0.2)
    redis_cpu_percent      = optional(number, 75)
    redis_memory_percent   = optional(number, 80)
    kafka_consumer_lag     = optional(number, 1000)
    alb_5xx_per_5_minutes  = optional(number, 10)
    rds_cpu_percent        = optional(number, 80)
  })
  default = {}
}

variable "tags" {
  description = "Tags on every resource that takes them."
  type        = map(string)
  default     = {}
}
