# Redis holds the snapshots. Encrypted in transit with an AUTH token: the apps connect with
# rediss://:<token>@<primary endpoint>:6379 (REDIS_URL, from Secrets Manager).

resource "aws_elasticache_subnet_group" "this" {
  name       = var.name
  subnet_ids = var.private_subnet_ids
  tags       = local.tags
}

resource "aws_elasticache_replication_group" "this" {
  replication_group_id = var.name
  description          = "${var.name}: flag snapshots"
  engine               = "redis"
  engine_version       = "7.1"
  node_type            = local.s.redis_node_type
  num_cache_clusters   = local.s.redis_nodes
  port                 = local.redis_port
  parameter_group_name = "default.redis7"

  automatic_failover_enabled = true
  multi_az_enabled           = true

  at_rest_encryption_enabled = true
  transit_encryption_enabled = true
  transit_encryption_mode    = "required"
  auth_token                 = terraform_data.secret["redis"].output
  # ROTATE keeps the old token valid next to the new one until the tasks have restarted.
  auth_token_update_strategy = "ROTATE"

  subnet_group_name  = aws_elasticache_subnet_group.this.name
  security_group_ids = [aws_security_group.this["redis"].id]

  # The snapshots are a cache of PostgreSQL: a day of backups is enough to restart warm.
  snapshot_retention_limit = 1
  snapshot_window          = "02:00-03:00"
  maintenance_window       = "sun:05:00-sun:06:00"
  apply_immediately        = false

  tags = local.tags

  lifecycle {
    precondition {
      condition     = local.s.redis_nodes >= 2
      error_message = "Multi-AZ Redis needs at least 2 nodes (sizing.redis_nodes)."
    }
  }
}

locals {
  # Member ids are <group>-001, -002, ... for a group without cluster mode; known at plan
  # time, unlike member_clusters, so the per-node alarms can be keyed on them.
  redis_members = [for i in range(local.s.redis_nodes) : format("%s-%03d", var.name, i + 1)]
}
