# The API and the worker on Fargate. Configuration that is not secret is plain environment;
# passwords, the Redis URL (it carries the AUTH token) and the admin token are ECS `secrets`.

data "aws_region" "current" {}

resource "aws_ecs_cluster" "this" {
  name = var.name
  tags = local.tags

  setting {
    name  = "containerInsights"
    value = var.container_insights ? "enabled" : "disabled"
  }
}

resource "aws_cloudwatch_log_group" "service" {
  for_each = toset(["api", "worker"])

  name              = "/flagsync/${var.name}/${each.key}"
  retention_in_days = var.log_retention_days
  tags              = local.tags
}

# The execution role is the ECS agent's: it pulls the image, writes logs and reads exactly
# these secrets. The tasks themselves call no AWS API, so they get no task role.
resource "aws_iam_role" "execution" {
  name = "${var.name}-ecs-execution"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
  tags = local.tags
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_iam_role_policy" "read_secrets" {
  name = "read-flagsync-secrets"
  role = aws_iam_role.execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue"]
        Resource = concat([for s in aws_secretsmanager_secret.app : s.arn], [aws_secretsmanager_secret.kafka.arn])
      },
      {
        Effect   = "Allow"
        Action   = ["kms:Decrypt"]
        Resource = [aws_kms_key.secrets.arn]
      },
    ]
  })
}

locals {
  common_environment = {
    DATABASE_URL      = local.database_url
    DATABASE_USER     = local.db_user
    CACHE_TTL_SECONDS = tostring(var.cache_ttl_seconds)
  }

  api_environment = merge(local.common_environment, {
    HTTP_PORT            = tostring(local.api_port)
    DEFAULT_ENVIRONMENT  = var.default_environment
    SSE_MAX_CONNECTIONS  = tostring(local.s.sse_max_connections)
    CORS_ALLOWED_ORIGINS = join(",", var.cors_allowed_origins)
  })

  worker_environment = merge(local.common_environment, {
    KAFKA_BOOTSTRAP_SERVERS  = aws_msk_cluster.this.bootstrap_brokers_sasl_scram
    KAFKA_SECURITY_PROTOCOL  = "SASL_SSL"
    KAFKA_SASL_MECHANISM     = "SCRAM-SHA-512"
    KAFKA_REPLICATION_FACTOR = tostring(local.replication_factor)
    CHANGE_TOPIC_PARTITIONS  = tostring(local.s.change_partitions)
    TOPIC_PREFIX             = var.topic_prefix
    SYNC_GROUP_ID            = local.sync_group
    WORKER_ROLES             = "capture,sync"
    METRICS_PORT             = tostring(local.worker_port)
  })

  # name -> Secrets Manager reference; "<arn>:<json key>::" picks one field of a JSON secret.
  api_secrets = {
    DATABASE_PASSWORD = aws_secretsmanager_secret.app["database-password"].arn
    REDIS_URL         = aws_secretsmanager_secret.app["redis-url"].arn
    ADMIN_TOKENS      = aws_secretsmanager_secret.app["admin-token"].arn
  }

  worker_secrets = {
    DATABASE_PASSWORD   = aws_secretsmanager_secret.app["database-password"].arn
    REDIS_URL           = aws_secretsmanager_secret.app["redis-url"].arn
    KAFKA_SASL_USERNAME = "${aws_secretsmanager_secret.kafka.arn}:username::"
    KAFKA_SASL_PASSWORD = "${aws_secretsmanager_secret.kafka.arn}:password::"
  }

  # The image's own HEALTHCHECK is ignored by ECS; this is the same probe (the JRE image has
  # bash but no curl). Liveness, not readiness: a worker whose Redis is down must not be killed.
  worker_health_command = "exec 3<>/dev/tcp/127.0.0.1/${local.worker_port} && printf 'GET /health/live HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"

  containers = {
    api = {
      image       = var.api_image
      port        = local.api_port
      cpu         = local.s.api_cpu
      memory      = local.s.api_memory
      environment = { for k, v in local.api_environment : k => v if v != "" }
      secrets     = local.api_secrets
      # The ALB checks readiness; ECS needs no probe of its own.
      healthCheck = null
      # One socket per SSE stream.
      ulimits = [{ name = "nofile", softLimit = 65536, hardLimit = 65536 }]
    }
    worker = {
      image       = var.worker_image
      port        = local.worker_port
      cpu         = local.s.worker_cpu
      memory      = local.s.worker_memory
      environment = local.worker_environment
      secrets     = local.worker_secrets
      healthCheck = {
        command  = ["CMD-SHELL", "bash -c \"${local.worker_health_command}\""]
        interval = 15
        timeout  = 5
        retries  = 3
        # The worker waits for PostgreSQL and Kafka before /health/live answers.
        startPeriod = 180
      }
      ulimits = null
    }
  }
}

resource "aws_ecs_task_definition" "this" {
  for_each = local.containers

  family                   = "${var.name}-${each.key}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = each.value.cpu
  memory                   = each.value.memory
  execution_role_arn       = aws_iam_role.execution.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = var.cpu_architecture
  }

  container_definitions = jsonencode([{ for k, v in {
    name         = each.key
    image        = each.value.image
    essential    = true
    portMappings = [{ containerPort = each.value.port, protocol = "tcp" }]
    environment  = [for k, v in each.value.environment : { name = k, value = v }]
    secrets      = [for k, v in each.value.secrets : { name = k, valueFrom = v }]
    healthCheck  = each.value.healthCheck
    ulimits      = each.value.ulimits
    # SIGTERM closes SSE streams and stops the engine; 30 s lets in-flight work finish.
    stopTimeout = 30
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.service[each.key].name
        awslogs-region        = data.aws_region.current.name
        awslogs-stream-prefix = each.key
      }
    }
  } : k => v if v != null }])

  tags = local.tags
}

resource "aws_ecs_service" "api" {
  name                               = "${var.name}-api"
  cluster                            = aws_ecs_cluster.this.id
  task_definition                    = aws_ecs_task_definition.this["api"].arn
  desired_count                      = local.s.api_min_count
  launch_type                        = "FARGATE"
  health_check_grace_period_seconds  = 120
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  propagate_tags                     = "SERVICE"

  network_configuration {
    subnets          = var.private_subnet_ids
    security_groups  = [aws_security_group.this["api"].id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.api.arn
    container_name   = "api"
    container_port   = local.api_port
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  tags = local.tags

  # The autoscaler owns the count after the first apply.
  lifecycle {
    ignore_changes = [desired_count]
  }

  depends_on = [aws_lb_listener.serving]
}

# Two (or more) tasks, each with both roles: the one holding the slot's advisory lock captures,
# the others stand by and take over within about a second; all of them sync. A rolling update
# starts the new tasks first (they stand by), so capture and sync never stop.
resource "aws_ecs_service" "worker" {
  name                               = "${var.name}-worker"
  cluster                            = aws_ecs_cluster.this.id
  task_definition                    = aws_ecs_task_definition.this["worker"].arn
  desired_count                      = var.worker_count
  launch_type                        = "FARGATE"
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  propagate_tags                     = "SERVICE"

  network_configuration {
    subnets          = var.private_subnet_ids
    security_groups  = [aws_security_group.this["worker"].id]
    assign_public_ip = false
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  tags = local.tags

  depends_on = [aws_msk_scram_secret_association.this]
}
