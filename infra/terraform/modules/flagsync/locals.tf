locals {
  # What each size deploys. docs/operations.md prices them; sizing overrides single values.
  presets = {
    small = {
      db_instance_class      = "db.t4g.micro"
      db_multi_az            = false
      db_allocated_storage   = 20
      redis_node_type        = "cache.t4g.micro"
      redis_nodes            = 2
      kafka_instance_type    = "kafka.t3.small"
      kafka_volume_size      = 10
      api_cpu                = 512
      api_memory             = 1024
      api_min_count          = 2
      api_max_count          = 4
      worker_cpu             = 512
      worker_memory          = 1024
      sse_max_connections    = 10000
      change_partitions      = 1
      request_count_target   = 3000
      api_cpu_target_percent = 60
    }
    medium = {
      db_instance_class      = "db.t4g.medium"
      db_multi_az            = true
      db_allocated_storage   = 50
      redis_node_type        = "cache.t4g.medium"
      redis_nodes            = 2
      kafka_instance_type    = "kafka.m7g.large"
      kafka_volume_size      = 50
      api_cpu                = 1024
      api_memory             = 2048
      api_min_count          = 2
      api_max_count          = 8
      worker_cpu             = 1024
      worker_memory          = 2048
      sse_max_connections    = 10000
      change_partitions      = 3
      request_count_target   = 6000
      api_cpu_target_percent = 60
    }
    large = {
      db_instance_class      = "db.m7g.large"
      db_multi_az            = true
      db_allocated_storage   = 100
      redis_node_type        = "cache.m7g.large"
      redis_nodes            = 3
      kafka_instance_type    = "kafka.m7g.large"
      kafka_volume_size      = 100
      api_cpu                = 2048
      api_memory             = 4096
      api_min_count          = 3
      api_max_count          = 20
      worker_cpu             = 1024
      worker_memory          = 2048
      sse_max_connections    = 10000
      change_partitions      = 6
      request_count_target   = 12000
      api_cpu_target_percent = 60
    }
  }
  s = merge(local.presets[var.size], { for k, v in var.sizing : k => v if v != null })

  tags = merge({ app = "flagsync", "flagsync:deployment" = var.name }, var.tags)

  # One broker per availability zone: MSK needs a multiple of the client subnets.
  kafka_brokers      = length(var.private_subnet_ids)
  replication_factor = min(3, local.kafka_brokers)
  min_insync         = max(1, local.replication_factor - 1)

  db_name = "flagsync"
  db_user = "flagsync"
  # rds.force_ssl refuses unencrypted sessions; require encrypts without checking the server's
  # certificate, because the images carry no RDS CA bundle (docs/operations.md: verify-full).
  database_url = "jdbc:postgresql://${aws_db_instance.this.address}:${aws_db_instance.this.port}/${local.db_name}?sslmode=require"

  changes_topic  = "${var.topic_prefix}.public.feature_flags"
  sync_group     = "flagsync-sync"
  api_port       = 8080
  worker_port    = 9091
  redis_port     = 6379
  kafka_sasl_tls = 9096

  https = var.certificate_arn != null
}
