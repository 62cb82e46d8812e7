# Values the mocked AWS provider returns: AWS-shaped, because the provider's own validation
# (ARN syntax, AUTH token rules) still runs under a mock. Shared by the module's and the
# example's tests.

mock_data "aws_region" {
  defaults = { name = "eu-west-1" }
}
mock_resource "aws_db_instance" {
  defaults = { address = "flagsync.c0ffee.eu-west-1.rds.amazonaws.com" }
}
mock_resource "aws_elasticache_replication_group" {
  defaults = {
    primary_endpoint_address = "master.flagsync.c0ffee.euw1.cache.amazonaws.com"
    reader_endpoint_address  = "replica.flagsync.c0ffee.euw1.cache.amazonaws.com"
  }
}
mock_resource "aws_lb" {
  defaults = {
    arn        = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/flagsync-api/0123456789abcdef"
    dns_name   = "flagsync-api-123.eu-west-1.elb.amazonaws.com"
    arn_suffix = "app/flagsync-api/0123456789abcdef"
  }
}
mock_resource "aws_lb_target_group" {
  defaults = {
    arn        = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/flagsync-api/fedcba9876543210"
    arn_suffix = "targetgroup/flagsync-api/fedcba9876543210"
  }
}
mock_resource "aws_lb_listener" {
  defaults = { arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/flagsync-api/0123456789abcdef/1111111111111111" }
}
mock_resource "aws_msk_configuration" {
  defaults = { arn = "arn:aws:kafka:eu-west-1:123456789012:configuration/flagsync-3-6-0/00000000-0000-0000-0000-000000000000-1" }
}
mock_resource "aws_msk_cluster" {
  defaults = {
    arn                          = "arn:aws:kafka:eu-west-1:123456789012:cluster/flagsync/00000000-0000-0000-0000-000000000000-2"
    bootstrap_brokers_sasl_scram = "b-1.flagsync.c0ffee.kafka.eu-west-1.amazonaws.com:9096,b-2.flagsync.c0ffee.kafka.eu-west-1.amazonaws.com:9096"
  }
}
mock_resource "aws_kms_key" {
  defaults = { arn = "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-0000-0000-000000000003" }
}
mock_resource "aws_sns_topic" {
  defaults = { arn = "arn:aws:sns:eu-west-1:123456789012:flagsync-alarms" }
}
mock_resource "aws_iam_role" {
  defaults = { arn = "arn:aws:iam::123456789012:role/flagsync-ecs-execution" }
}
mock_resource "aws_ecs_cluster" {
  defaults = { arn = "arn:aws:ecs:eu-west-1:123456789012:cluster/flagsync" }
}
mock_resource "aws_ecs_task_definition" {
  defaults = { arn = "arn:aws:ecs:eu-west-1:123456789012:task-definition/flagsync:1" }
}

mock_data "aws_secretsmanager_random_password" {
  defaults = { random_password = "MockedPassw0rdMockedPassw0rd1234" }
}

mock_resource "aws_secretsmanager_secret" {
  defaults = { arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:flagsync/mocked-Zz0000" }
}
