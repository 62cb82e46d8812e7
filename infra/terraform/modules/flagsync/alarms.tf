# CloudWatch alarms on what AWS measures; the service's own metrics (propagation, capture,
# stale reads, breakers) are alerted on by Prometheus (infra/prometheus/alerts.yml).

resource "aws_sns_topic" "alarms" {
  name = "${var.name}-alarms"
  tags = local.tags
}

resource "aws_sns_topic_subscription" "email" {
  count = var.alarm_email == null ? 0 : 1

  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

locals {
  t = var.alarm_thresholds

  db_dimensions = { DBInstanceIdentifier = aws_db_instance.this.identifier }

  alarms = merge(
    {
      # Bytes of WAL the slowest replication slot holds: the capture is down or stuck.
      rds_slot_lag = {
        namespace  = "AWS/RDS", metric = "OldestReplicationSlotLag", stat = "Maximum", period = 300, periods = 3
        comparison = "GreaterThanThreshold", threshold = local.t.slot_lag_bytes, dimensions = local.db_dimensions
        missing    = "notBreaching"
        summary    = "the replication slot holds more than ${local.t.slot_lag_bytes} bytes of WAL"
      }
      rds_transaction_logs = {
        namespace  = "AWS/RDS", metric = "TransactionLogsDiskUsage", stat = "Maximum", period = 300, periods = 3
        comparison = "GreaterThanThreshold", threshold = local.t.transaction_logs_bytes, dimensions = local.db_dimensions
        missing    = "notBreaching"
        summary    = "WAL on disk is above ${local.t.transaction_logs_bytes} bytes (a slot keeps it?)"
      }
      rds_free_storage = {
        namespace  = "AWS/RDS", metric = "FreeStorageSpace", stat = "Minimum", period = 300, periods = 2
        comparison = "LessThanThreshold", threshold = floor(local.s.db_allocated_storage * local.t.free_storage_fraction * 1073741824)
        dimensions = local.db_dimensions, missing = "breaching"
        summary    = "less than ${local.t.free_storage_fraction * 100} % of the database storage is free"
      }
      rds_cpu = {
        namespace  = "AWS/RDS", metric = "CPUUtilization", stat = "Average", period = 300, periods = 3
        comparison = "GreaterThanThreshold", threshold = local.t.rds_cpu_percent, dimensions = local.db_dimensions
        missing    = "notBreaching"
        summary    = "database CPU above ${local.t.rds_cpu_percent} %"
      }
      # Records the sync consumer group has not committed; MSK emits it only while the group is
      # stable or empty, so a rebalancing group is not alarmed on.
      kafka_consumer_lag = {
        namespace  = "AWS/Kafka", metric = "MaxOffsetLag", stat = "Maximum", period = 60, periods = 5
        comparison = "GreaterThanThreshold", threshold = local.t.kafka_consumer_lag, missing = "notBreaching"
        dimensions = { "Cluster Name" = aws_msk_cluster.this.cluster_name, "Consumer Group" = local.sync_group, "Topic" = local.changes_topic }
        summary    = "the sync consumer is more than ${local.t.kafka_consumer_lag} records behind"
      }
      alb_target_5xx = {
        namespace  = "AWS/ApplicationELB", metric = "HTTPCode_Target_5XX_Count", stat = "Sum", period = 300, periods = 1
        comparison = "GreaterThanThreshold", threshold = local.t.alb_5xx_per_5_minutes, missing = "notBreaching"
        dimensions = { LoadBalancer = aws_lb.api.arn_suffix, TargetGroup = aws_lb_target_group.api.arn_suffix }
        summary    = "the API answered more than ${local.t.alb_5xx_per_5_minutes} 5xx in 5 minutes"
      }
      alb_elb_5xx = {
        namespace  = "AWS/ApplicationELB", metric = "HTTPCode_ELB_5XX_Count", stat = "Sum", period = 300, periods = 1
        comparison = "GreaterThanThreshold", threshold = local.t.alb_5xx_per_5_minutes, missing = "notBreaching"
        dimensions = { LoadBalancer = aws_lb.api.arn_suffix }
        summary    = "the load balancer itself answered more than ${local.t.alb_5xx_per_5_minutes} 5xx in 5 minutes (no healthy task?)"
      }
    },
    merge([for member in local.redis_members : {
      # Redis runs commands on one thread: the engine's CPU, not the host's, saturates first.
      "redis_cpu_${member}" = {
        namespace  = "AWS/ElastiCache", metric = "EngineCPUUtilization", stat = "Average", period = 300, periods = 3
        comparison = "GreaterThanThreshold", threshold = local.t.redis_cpu_percent, missing = "notBreaching"
        dimensions = { CacheClusterId = member }
        summary    = "Redis node ${member}: engine CPU above ${local.t.redis_cpu_percent} %"
      }
      "redis_memory_${member}" = {
        namespace  = "AWS/ElastiCache", metric = "DatabaseMemoryUsagePercentage", stat = "Maximum", period = 300, periods = 2
        comparison = "GreaterThanThreshold", threshold = local.t.redis_memory_percent, missing = "notBreaching"
        dimensions = { CacheClusterId = member }
        summary    = "Redis node ${member}: memory above ${local.t.redis_memory_percent} % of maxmemory"
      }
      # Snapshots carry a TTL and are rewarmed from PostgreSQL, so an eviction costs a database
      # read, but any at all means the node is too small.
      "redis_evictions_${member}" = {
        namespace  = "AWS/ElastiCache", metric = "Evictions", stat = "Sum", period = 300, periods = 1
        comparison = "GreaterThanThreshold", threshold = 0, missing = "notBreaching"
        dimensions = { CacheClusterId = member }
        summary    = "Redis node ${member} evicted keys"
      }
    }]...),
  )
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = local.alarms

  alarm_name          = "${var.name}-${replace(each.key, "_", "-")}"
  alarm_description   = "${var.name}: ${each.value.summary}. Runbook: docs/operations.md"
  namespace           = each.value.namespace
  metric_name         = each.value.metric
  dimensions          = each.value.dimensions
  statistic           = each.value.stat
  period              = each.value.period
  evaluation_periods  = each.value.periods
  comparison_operator = each.value.comparison
  threshold           = each.value.threshold
  treat_missing_data  = each.value.missing
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
  tags                = local.tags
}
