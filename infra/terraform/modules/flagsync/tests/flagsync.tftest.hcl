# Offline tests of the module: the AWS provider is mocked, so these check what the
# configuration asks AWS for, not what AWS does with it (docs/operations.md, "What is tested").

mock_provider "aws" {
  source = "../../testing/aws"
}

# Values AWS would generate; the provider's own validation still runs under the mock, so ARNs
# and the AUTH token must look real. Each secret gets its own value and ARN, so the tests can
# tell them apart.
override_data {
  target = data.aws_secretsmanager_random_password.generated["database"]
  values = { random_password = "DbPassw0rdDbPassw0rdDbPassw0rd12" }
}
override_data {
  target = data.aws_secretsmanager_random_password.generated["redis"]
  values = { random_password = "RedisT0kenRedisT0kenRedisT0ken12" }
}
override_data {
  target = data.aws_secretsmanager_random_password.generated["admin"]
  values = { random_password = "AdminT0kenAdminT0kenAdminT0kenAdminT0kenAdmin123" }
}
override_data {
  target = data.aws_secretsmanager_random_password.generated["kafka"]
  values = { random_password = "KafkaPassw0rdKafkaPassw0rdKafka1" }
}
override_resource {
  target = aws_secretsmanager_secret.app["database-password"]
  values = { arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:flagsync/database-password-Aa1111" }
}
override_resource {
  target = aws_secretsmanager_secret.app["redis-url"]
  values = { arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:flagsync/redis-url-Bb2222" }
}
override_resource {
  target = aws_secretsmanager_secret.app["admin-token"]
  values = { arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:flagsync/admin-token-Cc3333" }
}
override_resource {
  target = aws_secretsmanager_secret.kafka
  values = { arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:AmazonMSK_flagsync-worker-Dd4444" }
}

variables {
  vpc_id             = "vpc-0123456789abcdef0"
  private_subnet_ids = ["subnet-a", "subnet-b", "subnet-c"]
  alb_subnet_ids     = ["subnet-d", "subnet-e", "subnet-f"]
  api_image          = "registry.example/flagsync-api:1.0.0"
  worker_image       = "registry.example/flagsync-sync-worker:1.0.0"
}

run "defaults" {
  command = apply

  # PostgreSQL: logical decoding on, encrypted, backed up, private.
  assert {
    condition     = aws_db_parameter_group.this.family == "postgres16" && tonumber(aws_db_instance.this.engine_version) >= 15
    error_message = "PostgreSQL must be 15 or later, with a matching parameter group family."
  }
  assert {
    condition = length(setsubtract(
      ["rds.logical_replication=1", "max_slot_wal_keep_size=5120", "wal_sender_timeout=30000", "rds.force_ssl=1"],
      [for p in aws_db_parameter_group.this.parameter : "${p.name}=${p.value}"],
    )) == 0
    error_message = "The parameter group must turn logical replication on and bound the slot's WAL."
  }
  assert {
    condition     = one([for p in aws_db_parameter_group.this.parameter : p.apply_method if p.name == "rds.logical_replication"]) == "pending-reboot"
    error_message = "rds.logical_replication is static: it can only be applied at reboot."
  }
  assert {
    condition     = aws_db_instance.this.parameter_group_name == aws_db_parameter_group.this.name
    error_message = "The instance must use the logical-decoding parameter group."
  }
  assert {
    condition     = aws_db_instance.this.storage_encrypted && aws_db_instance.this.backup_retention_period >= 1 && !aws_db_instance.this.skip_final_snapshot
    error_message = "The database must be encrypted, backed up, and snapshotted before deletion."
  }
  assert {
    condition     = !aws_db_instance.this.publicly_accessible && aws_db_instance.this.vpc_security_group_ids == toset([aws_security_group.this["db"].id])
    error_message = "The database must be private, in its own security group."
  }

  # Redis: TLS required, AUTH token, Multi-AZ; the apps get rediss://.
  assert {
    condition = (aws_elasticache_replication_group.this.transit_encryption_enabled
      && aws_elasticache_replication_group.this.transit_encryption_mode == "required"
    && aws_elasticache_replication_group.this.at_rest_encryption_enabled)
    error_message = "Redis must be encrypted in transit (required, not preferred) and at rest."
  }
  assert {
    condition     = nonsensitive(aws_elasticache_replication_group.this.auth_token == terraform_data.secret["redis"].output && length(terraform_data.secret["redis"].output) >= 16)
    error_message = "Redis must have the generated AUTH token."
  }
  assert {
    condition = (aws_elasticache_replication_group.this.multi_az_enabled
      && aws_elasticache_replication_group.this.automatic_failover_enabled
    && aws_elasticache_replication_group.this.num_cache_clusters == 2)
    error_message = "Redis must be a Multi-AZ replication group with automatic failover."
  }
  assert {
    condition     = nonsensitive(aws_secretsmanager_secret_version.app["redis-url"].secret_string == "rediss://:${terraform_data.secret["redis"].output}@master.flagsync.c0ffee.euw1.cache.amazonaws.com:6379")
    error_message = "REDIS_URL must be rediss:// with the AUTH token, to the primary endpoint."
  }
  assert {
    condition     = output.redis_endpoint == "master.flagsync.c0ffee.euw1.cache.amazonaws.com:6379"
    error_message = "The Redis endpoint output must be the primary endpoint."
  }

  # MSK: TLS and SASL/SCRAM only; the secret MSK can read.
  assert {
    condition = (aws_msk_cluster.this.encryption_info[0].encryption_in_transit[0].client_broker == "TLS"
    && aws_msk_cluster.this.encryption_info[0].encryption_in_transit[0].in_cluster)
    error_message = "MSK must encrypt client and broker traffic."
  }
  assert {
    condition = (aws_msk_cluster.this.client_authentication[0].sasl[0].scram
    && !aws_msk_cluster.this.client_authentication[0].unauthenticated)
    error_message = "MSK must require SASL/SCRAM and refuse unauthenticated clients."
  }
  assert {
    condition     = startswith(aws_secretsmanager_secret.kafka.name, "AmazonMSK_") && aws_secretsmanager_secret.kafka.kms_key_id == aws_kms_key.secrets.arn
    error_message = "MSK only reads SCRAM secrets named AmazonMSK_* under a customer managed key."
  }
  assert {
    condition     = aws_msk_scram_secret_association.this.secret_arn_list == toset([aws_secretsmanager_secret.kafka.arn])
    error_message = "The SCRAM secret must be associated with the cluster."
  }
  assert {
    condition = (aws_msk_cluster.this.number_of_broker_nodes == 3
      && strcontains(aws_msk_configuration.this.server_properties, "default.replication.factor=3")
    && strcontains(aws_msk_configuration.this.server_properties, "min.insync.replicas=2"))
    error_message = "Three subnets: three brokers, replication 3, two in-sync replicas."
  }
  assert {
    condition     = output.kafka_bootstrap_brokers == aws_msk_cluster.this.bootstrap_brokers_sasl_scram
    error_message = "The Kafka output must be the SASL/SCRAM listener."
  }

  # Worker: two tasks, both roles, configured for the SCRAM listener.
  assert {
    condition     = aws_ecs_service.worker.desired_count == 2 && aws_ecs_service.worker.launch_type == "FARGATE"
    error_message = "The worker must run as two Fargate tasks (one captures, one stands by)."
  }
  assert {
    condition = {
      for e in jsondecode(aws_ecs_task_definition.this["worker"].container_definitions)[0].environment : e.name => e.value
      if contains(["WORKER_ROLES", "KAFKA_SECURITY_PROTOCOL", "KAFKA_SASL_MECHANISM", "KAFKA_BOOTSTRAP_SERVERS", "KAFKA_REPLICATION_FACTOR"], e.name)
      } == {
      WORKER_ROLES             = "capture,sync"
      KAFKA_SECURITY_PROTOCOL  = "SASL_SSL"
      KAFKA_SASL_MECHANISM     = "SCRAM-SHA-512"
      KAFKA_BOOTSTRAP_SERVERS  = aws_msk_cluster.this.bootstrap_brokers_sasl_scram
      KAFKA_REPLICATION_FACTOR = "3"
    }
    error_message = "Every worker must run capture and sync, over SASL_SSL to the SCRAM listener."
  }
  assert {
    condition = alltrue([for td in [aws_ecs_task_definition.this["api"], aws_ecs_task_definition.this["worker"]] :
      one([for e in jsondecode(td.container_definitions)[0].environment : e.value if e.name == "DATABASE_URL"])
    == "jdbc:postgresql://flagsync.c0ffee.eu-west-1.rds.amazonaws.com:5432/flagsync?sslmode=require"])
    error_message = "Both processes must reach RDS over TLS (sslmode=require)."
  }
  assert {
    condition     = jsondecode(aws_ecs_task_definition.this["worker"].container_definitions)[0].healthCheck.command[0] == "CMD-SHELL" && strcontains(jsondecode(aws_ecs_task_definition.this["worker"].container_definitions)[0].healthCheck.command[1], "/health/live")
    error_message = "ECS must restart a worker that stops answering /health/live."
  }

  # Secrets: ECS secrets, never environment values.
  assert {
    condition = alltrue([for td in [aws_ecs_task_definition.this["api"], aws_ecs_task_definition.this["worker"]] :
      length(setintersection(
        [for e in jsondecode(td.container_definitions)[0].environment : e.name],
        ["DATABASE_PASSWORD", "REDIS_URL", "ADMIN_TOKENS", "READ_TOKENS", "KAFKA_SASL_USERNAME", "KAFKA_SASL_PASSWORD"],
    )) == 0])
    error_message = "No secret may be a plain environment variable."
  }
  assert {
    condition     = toset([for s in jsondecode(aws_ecs_task_definition.this["api"].container_definitions)[0].secrets : s.name]) == toset(["DATABASE_PASSWORD", "REDIS_URL", "ADMIN_TOKENS"])
    error_message = "The API must get its password, Redis URL and admin token as ECS secrets."
  }
  assert {
    condition     = toset([for s in jsondecode(aws_ecs_task_definition.this["worker"].container_definitions)[0].secrets : s.name]) == toset(["DATABASE_PASSWORD", "REDIS_URL", "KAFKA_SASL_USERNAME", "KAFKA_SASL_PASSWORD"])
    error_message = "The worker must get its password, Redis URL and Kafka credentials as ECS secrets."
  }
  assert {
    # The values themselves appear nowhere in the task definitions, which are in the plan.
    condition = nonsensitive(alltrue([for s in terraform_data.secret :
      !strcontains(aws_ecs_task_definition.this["api"].container_definitions, s.output)
    && !strcontains(aws_ecs_task_definition.this["worker"].container_definitions, s.output)]))
    error_message = "A generated secret value leaked into a task definition."
  }
  assert {
    condition = alltrue([for s in jsondecode(aws_ecs_task_definition.this["worker"].container_definitions)[0].secrets :
    startswith(s.valueFrom, aws_secretsmanager_secret.kafka.arn) if startswith(s.name, "KAFKA_")])
    error_message = "The Kafka credentials must come from the MSK SCRAM secret."
  }
  assert {
    condition = alltrue([for arn in jsondecode(aws_iam_role_policy.read_secrets.policy).Statement[0].Resource :
    contains(concat([for s in aws_secretsmanager_secret.app : s.arn], [aws_secretsmanager_secret.kafka.arn]), arn)])
    error_message = "The execution role may read only flagsync's secrets."
  }
  assert {
    condition     = alltrue([for s in aws_secretsmanager_secret.app : s.kms_key_id == aws_kms_key.secrets.arn])
    error_message = "Secrets must be encrypted with the module's key."
  }

  # API: ALB health check, autoscaling on CPU and requests.
  assert {
    condition     = aws_lb_target_group.api.health_check[0].path == "/health/ready" && aws_lb_target_group.api.health_check[0].matcher == "200"
    error_message = "The ALB must check /health/ready."
  }
  assert {
    condition     = aws_lb_listener.serving.port == 80 && aws_lb_listener.serving.protocol == "HTTP" && output.api_url == "http://flagsync-api-123.eu-west-1.elb.amazonaws.com"
    error_message = "Without a certificate the API is served on HTTP 80."
  }
  assert {
    condition = (contains(flatten([for c in aws_lb_listener_rule.internal_paths.condition : [for p in c.path_pattern : tolist(p.values)]]), "/metrics")
    && aws_lb_listener_rule.internal_paths.action[0].type == "fixed-response")
    error_message = "/metrics must not be served through the load balancer."
  }
  assert {
    condition = (aws_appautoscaling_policy.api["cpu"].target_tracking_scaling_policy_configuration[0].predefined_metric_specification[0].predefined_metric_type == "ECSServiceAverageCPUUtilization"
    && aws_appautoscaling_policy.api["requests"].target_tracking_scaling_policy_configuration[0].predefined_metric_specification[0].predefined_metric_type == "ALBRequestCountPerTarget")
    error_message = "The API must scale on CPU and on requests per target."
  }
  assert {
    condition     = aws_appautoscaling_policy.api["requests"].target_tracking_scaling_policy_configuration[0].predefined_metric_specification[0].resource_label == "app/flagsync-api/0123456789abcdef/targetgroup/flagsync-api/fedcba9876543210"
    error_message = "The request-count policy must name the ALB and target group."
  }
  assert {
    condition     = aws_appautoscaling_target.api.min_capacity == 2 && aws_appautoscaling_target.api.max_capacity == 4
    error_message = "Small: 2 to 4 API tasks."
  }

  # Alarms: database, cache, Kafka lag, ALB 5xx.
  assert {
    condition = length(setsubtract(
      ["OldestReplicationSlotLag", "TransactionLogsDiskUsage", "FreeStorageSpace", "EngineCPUUtilization",
      "DatabaseMemoryUsagePercentage", "Evictions", "MaxOffsetLag", "HTTPCode_Target_5XX_Count", "HTTPCode_ELB_5XX_Count"],
      [for a in aws_cloudwatch_metric_alarm.this : a.metric_name],
    )) == 0
    error_message = "An expected CloudWatch alarm is missing."
  }
  assert {
    condition = (toset([for a in aws_cloudwatch_metric_alarm.this : a.dimensions.CacheClusterId if a.metric_name == "Evictions"])
    == toset(["flagsync-001", "flagsync-002"]))
    error_message = "Each Redis node must have its own alarms."
  }
  assert {
    condition = one([for a in aws_cloudwatch_metric_alarm.this : a.dimensions if a.metric_name == "MaxOffsetLag"]) == tomap({
      "Cluster Name"   = aws_msk_cluster.this.cluster_name
      "Consumer Group" = "flagsync-sync"
      "Topic"          = "flagsync.public.feature_flags"
    })
    error_message = "The consumer-lag alarm must watch the sync group on the change topic."
  }
  assert {
    condition     = one([for a in aws_cloudwatch_metric_alarm.this : a.threshold if a.metric_name == "FreeStorageSpace"]) == floor(20 * 0.2 * 1073741824)
    error_message = "Free storage alarms below 20 % of the allocated 20 GB."
  }
  assert {
    condition     = alltrue([for a in aws_cloudwatch_metric_alarm.this : a.alarm_actions == toset([aws_sns_topic.alarms.arn])])
    error_message = "Every alarm must notify the alarm topic."
  }

  # Security groups: each component reachable only by its users.
  assert {
    condition = {
      for to in ["api", "worker", "db", "redis", "kafka"] : to => toset([
        for r in aws_vpc_security_group_ingress_rule.path : r.referenced_security_group_id
        if r.security_group_id == aws_security_group.this[to].id
      ])
      } == {
      api    = toset([aws_security_group.this["alb"].id])
      worker = toset([])
      db     = toset([aws_security_group.this["api"].id, aws_security_group.this["worker"].id])
      redis  = toset([aws_security_group.this["api"].id, aws_security_group.this["worker"].id])
      kafka  = toset([aws_security_group.this["worker"].id])
    }
    error_message = "Each component may be reached only by the components that use it."
  }
  assert {
    condition     = alltrue([for r in aws_vpc_security_group_ingress_rule.alb : r.security_group_id == aws_security_group.this["alb"].id && contains([80, 443], r.from_port)])
    error_message = "Only the ALB's listener ports are open to client CIDRs."
  }
  assert {
    condition     = alltrue([for r in aws_vpc_security_group_egress_rule.https_out : r.from_port == 443 && r.to_port == 443])
    error_message = "Tasks may leave the VPC on 443 only."
  }
  assert {
    condition     = one([for r in aws_vpc_security_group_ingress_rule.path : r.from_port if r.security_group_id == aws_security_group.this["kafka"].id]) == 9096
    error_message = "The worker reaches MSK on the SASL/SCRAM TLS port only."
  }
}








run "https_when_a_certificate_is_given" {
  command = plan

  variables {
    certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"
  }

  assert {
    condition     = aws_lb_listener.serving.port == 443 && aws_lb_listener.serving.protocol == "HTTPS" && length(aws_lb_listener.redirect) == 1
    error_message = "With a certificate: HTTPS on 443 and a redirect from 80."
  }
  assert {
    condition     = startswith(output.api_url, "https://")
    error_message = "The API URL must be https."
  }
  assert {
    condition     = toset([for r in aws_vpc_security_group_ingress_rule.alb : r.from_port]) == toset([80, 443])
    error_message = "Both listener ports must be open to clients."
  }
}

run "two_availability_zones_shrink_kafka_replication" {
  command = plan

  variables {
    private_subnet_ids = ["subnet-a", "subnet-b"]
  }

  assert {
    condition = (aws_msk_cluster.this.number_of_broker_nodes == 2
      && one([for e in jsondecode(aws_ecs_task_definition.this["worker"].container_definitions)[0].environment : e.value if e.name == "KAFKA_REPLICATION_FACTOR"]) == "2"
    && strcontains(aws_msk_configuration.this.server_properties, "min.insync.replicas=1"))
    error_message = "Two brokers: replication 2, one in-sync replica."
  }
}

run "sizes_and_overrides" {
  command = plan

  variables {
    size   = "large"
    sizing = { api_max_count = 30 }
  }

  assert {
    condition     = aws_db_instance.this.instance_class == "db.m7g.large" && aws_db_instance.this.multi_az
    error_message = "Large: a Multi-AZ db.m7g.large."
  }
  assert {
    condition     = aws_elasticache_replication_group.this.num_cache_clusters == 3 && length([for a in aws_cloudwatch_metric_alarm.this : a if a.metric_name == "Evictions"]) == 3
    error_message = "Large: three Redis nodes, each alarmed."
  }
  assert {
    condition     = aws_appautoscaling_target.api.max_capacity == 30 && aws_appautoscaling_target.api.min_capacity == 3
    error_message = "A sizing override replaces one value and keeps the others."
  }
}

# Each invalid input is refused before anything is planned, naming the variable.
run "invalid_inputs_are_refused" {
  command = plan

  variables {
    worker_count           = 1
    postgres_major_version = 14
    private_subnet_ids     = ["subnet-a"]
    backup_retention_days  = 0
    size                   = "huge"
    name                   = "Flag_Sync"
    wal_sender_timeout_ms  = 5000
  }

  expect_failures = [
    var.worker_count,
    var.postgres_major_version,
    var.private_subnet_ids,
    var.backup_retention_days,
    var.size,
    var.name,
    var.wal_sender_timeout_ms,
  ]
}

run "single_node_redis_is_refused" {
  command = plan

  variables {
    sizing = { redis_nodes = 1 }
  }

  expect_failures = [aws_elasticache_replication_group.this]
}
