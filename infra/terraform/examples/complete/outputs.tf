output "api_url" {
  description = "Base URL of the API."
  value       = module.flagsync.api_url
}

output "redis_endpoint" {
  description = "Redis primary endpoint (TLS, AUTH)."
  value       = module.flagsync.redis_endpoint
}

output "kafka_bootstrap_brokers" {
  description = "MSK SASL/SCRAM bootstrap brokers."
  value       = module.flagsync.kafka_bootstrap_brokers
}

output "secret_arns" {
  description = "Secrets Manager ARNs."
  value       = module.flagsync.secret_arns
}

output "billing_alarm_arn" {
  description = "The billing alarm (us-east-1)."
  value       = module.billing_alarm.alarm_arn
}
