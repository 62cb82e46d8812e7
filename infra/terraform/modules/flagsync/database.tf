# PostgreSQL, the source of truth, with logical decoding on for Debezium's pgoutput slot.

resource "aws_db_subnet_group" "this" {
  name       = var.name
  subnet_ids = var.private_subnet_ids
  tags       = local.tags
}

resource "aws_db_parameter_group" "this" {
  name_prefix = "${var.name}-pg${var.postgres_major_version}-"
  family      = "postgres${var.postgres_major_version}"
  description = "${var.name}: logical decoding for the capture"
  tags        = local.tags

  # wal_level=logical; static, so it takes effect at the first (re)boot.
  parameter {
    name         = "rds.logical_replication"
    value        = "1"
    apply_method = "pending-reboot"
  }

  # A slot left behind by a stopped capture keeps WAL; past this PostgreSQL invalidates the
  # slot rather than filling the disk (runbook: docs/operations.md, "The replication slot grows").
  parameter {
    name         = "max_slot_wal_keep_size"
    value        = tostring(var.max_slot_wal_keep_size_mb)
    apply_method = "immediate"
  }

  parameter {
    name         = "wal_sender_timeout"
    value        = tostring(var.wal_sender_timeout_ms)
    apply_method = "immediate"
  }

  parameter {
    name         = "rds.force_ssl"
    value        = "1"
    apply_method = "immediate"
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_db_instance" "this" {
  identifier     = var.name
  engine         = "postgres"
  engine_version = tostring(var.postgres_major_version)
  instance_class = local.s.db_instance_class
  multi_az       = local.s.db_multi_az

  db_name  = local.db_name
  username = local.db_user
  password = terraform_data.secret["database"].output
  port     = 5432

  allocated_storage     = local.s.db_allocated_storage
  max_allocated_storage = local.s.db_allocated_storage * 5
  storage_type          = "gp3"
  storage_encrypted     = true

  db_subnet_group_name   = aws_db_subnet_group.this.name
  vpc_security_group_ids = [aws_security_group.this["db"].id]
  publicly_accessible    = false
  parameter_group_name   = aws_db_parameter_group.this.name
  ca_cert_identifier     = "rds-ca-rsa2048-g1"

  backup_retention_period   = var.backup_retention_days
  backup_window             = "03:00-03:30"
  maintenance_window        = "sun:04:00-sun:04:30"
  copy_tags_to_snapshot     = true
  deletion_protection       = var.deletion_protection
  skip_final_snapshot       = false
  final_snapshot_identifier = "${var.name}-final"
  delete_automated_backups  = false

  auto_minor_version_upgrade      = true
  allow_major_version_upgrade     = false
  apply_immediately               = false
  performance_insights_enabled    = true
  enabled_cloudwatch_logs_exports = ["postgresql"]

  tags = local.tags
}
