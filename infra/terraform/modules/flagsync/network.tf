# One security group per component, no rule wider than needed: clients reach the ALB, the ALB
# reaches the API, the API and the worker reach PostgreSQL and Redis, only the worker reaches
# Kafka. Tasks leave the VPC only on 443 (ECR, Secrets Manager, CloudWatch Logs).

locals {
  security_groups = {
    alb    = "ALB in front of the API"
    api    = "API tasks"
    worker = "sync worker tasks"
    db     = "RDS PostgreSQL"
    redis  = "ElastiCache Redis"
    kafka  = "MSK brokers"
  }

  # from -> to, on port: every path between our own components.
  paths = {
    alb_to_api      = { from = "alb", to = "api", port = local.api_port }
    api_to_db       = { from = "api", to = "db", port = 5432 }
    worker_to_db    = { from = "worker", to = "db", port = 5432 }
    api_to_redis    = { from = "api", to = "redis", port = local.redis_port }
    worker_to_redis = { from = "worker", to = "redis", port = local.redis_port }
    worker_to_kafka = { from = "worker", to = "kafka", port = local.kafka_sasl_tls }
  }

  listener_ports = local.https ? [80, 443] : [80]

  alb_ingress = {
    for pair in setproduct(var.alb_ingress_cidrs, local.listener_ports) :
    "${pair[0]}:${pair[1]}" => { cidr = pair[0], port = pair[1] }
  }

  scrapers = merge(
    { for id in var.metrics_scraper_security_group_ids : "api:${id}" => { to = "api", from = id, port = local.api_port } },
    { for id in var.metrics_scraper_security_group_ids : "worker:${id}" => { to = "worker", from = id, port = local.worker_port } },
  )
}

resource "aws_security_group" "this" {
  for_each = local.security_groups

  name        = "${var.name}-${each.key}"
  description = "${var.name}: ${each.value}"
  vpc_id      = var.vpc_id
  tags        = merge(local.tags, { Name = "${var.name}-${each.key}" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "path" {
  for_each = local.paths

  security_group_id            = aws_security_group.this[each.value.to].id
  referenced_security_group_id = aws_security_group.this[each.value.from].id
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
  description                  = "${each.value.from} to ${each.value.to}"
  tags                         = local.tags
}

resource "aws_vpc_security_group_egress_rule" "path" {
  for_each = local.paths

  security_group_id            = aws_security_group.this[each.value.from].id
  referenced_security_group_id = aws_security_group.this[each.value.to].id
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
  description                  = "${each.value.from} to ${each.value.to}"
  tags                         = local.tags
}

resource "aws_vpc_security_group_ingress_rule" "alb" {
  for_each = local.alb_ingress

  security_group_id = aws_security_group.this["alb"].id
  cidr_ipv4         = each.value.cidr
  ip_protocol       = "tcp"
  from_port         = each.value.port
  to_port           = each.value.port
  description       = "clients to the ALB"
  tags              = local.tags
}

# Tasks pull images and read secrets and write logs over HTTPS. Without VPC endpoints these
# go through the NAT gateway to public AWS endpoints, so the destination cannot be narrower.
resource "aws_vpc_security_group_egress_rule" "https_out" {
  for_each = toset(["api", "worker"])

  security_group_id = aws_security_group.this[each.key].id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  description       = "ECR, Secrets Manager, CloudWatch Logs"
  tags              = local.tags
}

resource "aws_vpc_security_group_ingress_rule" "scrape" {
  for_each = local.scrapers

  security_group_id            = aws_security_group.this[each.value.to].id
  referenced_security_group_id = each.value.from
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
  description                  = "metrics scraper to ${each.value.to}"
  tags                         = local.tags
}
