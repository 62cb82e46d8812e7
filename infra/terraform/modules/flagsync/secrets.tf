# Generated secrets, stored in Secrets Manager and handed to the tasks as ECS `secrets` (read
# by the ECS agent at task start), never as environment values.
#
# AWS generates each value (GetRandomPassword); terraform_data pins it, so a plan does not
# draw a new one, and replaces it when its secret_versions number changes. The values are in
# the Terraform state: keep the state encrypted and access-controlled (docs/operations.md).

resource "aws_kms_key" "secrets" {
  description             = "${var.name}: Secrets Manager secrets (MSK SASL/SCRAM needs a customer managed key)"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  tags                    = local.tags
}

resource "aws_kms_alias" "secrets" {
  name          = "alias/${var.name}-secrets"
  target_key_id = aws_kms_key.secrets.key_id
}

data "aws_secretsmanager_random_password" "generated" {
  for_each = toset(["database", "redis", "admin", "kafka"])

  password_length = each.key == "admin" ? 48 : 32
  # Letters and digits only: no character needs escaping in a URL, JAAS or RDS's rules.
  exclude_punctuation = true
  include_space       = false
}

resource "terraform_data" "secret" {
  for_each = data.aws_secretsmanager_random_password.generated

  input            = sensitive(each.value.random_password)
  triggers_replace = [var.secret_versions[each.key]]

  lifecycle {
    ignore_changes = [input]
  }
}

locals {
  redis_url = "rediss://:${terraform_data.secret["redis"].output}@${aws_elasticache_replication_group.this.primary_endpoint_address}:${local.redis_port}"

  secret_values = {
    database-password = terraform_data.secret["database"].output
    redis-url         = local.redis_url
    admin-token       = terraform_data.secret["admin"].output
  }
}

resource "aws_secretsmanager_secret" "app" {
  for_each = toset(keys(local.secret_values))

  name                    = "${var.name}/${each.key}"
  kms_key_id              = aws_kms_key.secrets.arn
  recovery_window_in_days = var.secret_recovery_days
  tags                    = local.tags
}

resource "aws_secretsmanager_secret_version" "app" {
  for_each = aws_secretsmanager_secret.app

  secret_id     = each.value.id
  secret_string = local.secret_values[each.key]
}

# MSK reads SASL/SCRAM users from secrets named AmazonMSK_* encrypted with a customer managed
# key, as {"username","password"}; the worker gets both fields as separate ECS secrets.
resource "aws_secretsmanager_secret" "kafka" {
  name                    = "AmazonMSK_${var.name}-worker"
  kms_key_id              = aws_kms_key.secrets.arn
  recovery_window_in_days = var.secret_recovery_days
  tags                    = local.tags
}

resource "aws_secretsmanager_secret_version" "kafka" {
  secret_id = aws_secretsmanager_secret.kafka.id
  secret_string = jsonencode({
    username = "flagsync-worker"
    password = terraform_data.secret["kafka"].output
  })
}
