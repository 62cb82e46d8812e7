# MSK provisioned with TLS and SASL/SCRAM (docs/operations.md explains why not MSK Serverless:
# it authenticates with IAM only, which needs the aws-msk-iam-auth library in the worker).

resource "aws_msk_configuration" "this" {
  name           = "${var.name}-${replace(var.kafka_version, ".", "-")}"
  kafka_versions = [var.kafka_version]
  description    = "${var.name}: topics are created by the worker"

  # With no ACLs defined, every authenticated (SCRAM) user may use every topic; the worker is
  # the only user. Turning this off without adding ACLs locks the worker out.
  server_properties = <<-PROPERTIES
    auto.create.topics.enable=false
    default.replication.factor=${local.replication_factor}
    min.insync.replicas=${local.min_insync}
    unclean.leader.election.enable=false
    allow.everyone.if.no.acl.found=true
    log.retention.hours=168
  PROPERTIES

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_cloudwatch_log_group" "kafka" {
  name              = "/flagsync/${var.name}/msk"
  retention_in_days = var.log_retention_days
  tags              = local.tags
}

resource "aws_msk_cluster" "this" {
  cluster_name           = var.name
  kafka_version          = var.kafka_version
  number_of_broker_nodes = local.kafka_brokers
  enhanced_monitoring    = "DEFAULT"

  broker_node_group_info {
    instance_type   = local.s.kafka_instance_type
    client_subnets  = var.private_subnet_ids
    security_groups = [aws_security_group.this["kafka"].id]

    storage_info {
      ebs_storage_info {
        volume_size = local.s.kafka_volume_size
      }
    }
  }

  client_authentication {
    unauthenticated = false

    sasl {
      scram = true
      iam   = false
    }
  }

  encryption_info {
    encryption_in_transit {
      client_broker = "TLS"
      in_cluster    = true
    }
  }

  configuration_info {
    arn      = aws_msk_configuration.this.arn
    revision = aws_msk_configuration.this.latest_revision
  }

  logging_info {
    broker_logs {
      cloudwatch_logs {
        enabled   = true
        log_group = aws_cloudwatch_log_group.kafka.name
      }
    }
  }

  tags = local.tags
}

resource "aws_msk_scram_secret_association" "this" {
  cluster_arn     = aws_msk_cluster.this.arn
  secret_arn_list = [aws_secretsmanager_secret.kafka.arn]

  depends_on = [aws_secretsmanager_secret_version.kafka]
}
