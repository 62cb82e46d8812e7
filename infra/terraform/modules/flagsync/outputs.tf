output "api_url" {
  description = "Base URL of the API (through the ALB)."
  value       = "${local.https ? "https" : "http"}://${aws_lb.api.dns_name}"
}

output "alb_dns_name" {
  description = "Point your own DNS name (CNAME or alias) here; the certificate must cover it."
  value       = aws_lb.api.dns_name
}

output "redis_endpoint" {
  description = "Primary endpoint of Redis, host:port (TLS and AUTH required)."
  value       = "${aws_elasticache_replication_group.this.primary_endpoint_address}:${local.redis_port}"
}

output "redis_reader_endpoint" {
  description = "Reader endpoint of Redis, host:port."
  value       = "${aws_elasticache_replication_group.this.reader_endpoint_address}:${local.redis_port}"
}

output "kafka_bootstrap_brokers" {
  description = "MSK bootstrap brokers of the SASL/SCRAM over TLS listener (port 9096)."
  value       = aws_msk_cluster.this.bootstrap_brokers_sasl_scram
}

output "database_endpoint" {
  description = "RDS PostgreSQL host:port."
  value       = "${aws_db_instance.this.address}:${aws_db_instance.this.port}"
}

output "secret_arns" {
  description = "Secrets Manager ARNs (not values): read the admin token with aws secretsmanager get-secret-value."
  value       = merge({ for k, s in aws_secretsmanager_secret.app : k => s.arn }, { kafka-scram = aws_secretsmanager_secret.kafka.arn })
}

output "alarm_topic_arn" {
  description = "SNS topic of the CloudWatch alarms (subscribe a pager here)."
  value       = aws_sns_topic.alarms.arn
}

output "ecs_cluster_name" {
  description = "ECS cluster of both services."
  value       = aws_ecs_cluster.this.name
}

output "service_names" {
  description = "ECS services, for aws ecs update-service in the runbooks."
  value       = { api = aws_ecs_service.api.name, worker = aws_ecs_service.worker.name }
}
