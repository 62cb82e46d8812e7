# The example root applied with both providers mocked: the module wiring, the us-east-1
# billing alarm and the outputs. The module's own tests check the resources in detail.

mock_provider "aws" {
  source = "../../testing/aws"
}

mock_provider "aws" {
  alias  = "us_east_1"
  source = "../../testing/aws"
}

variables {
  vpc_id             = "vpc-0123456789abcdef0"
  private_subnet_ids = ["subnet-a", "subnet-b", "subnet-c"]
  public_subnet_ids  = ["subnet-d", "subnet-e", "subnet-f"]
  certificate_arn    = "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"
  api_image          = "registry.example/flagsync-api:1.0.0"
  worker_image       = "registry.example/flagsync-sync-worker:1.0.0"
}

run "applies_the_whole_stack" {
  command = apply

  assert {
    condition     = output.api_url == "https://flagsync-api-123.eu-west-1.elb.amazonaws.com"
    error_message = "The API URL must be the ALB's, over HTTPS when a certificate is given."
  }
  assert {
    condition     = output.redis_endpoint == "master.flagsync.c0ffee.euw1.cache.amazonaws.com:6379"
    error_message = "The Redis endpoint must be the primary endpoint."
  }
  assert {
    condition     = endswith(output.kafka_bootstrap_brokers, ":9096")
    error_message = "The Kafka endpoint must be the SASL/SCRAM TLS listener."
  }
  assert {
    condition     = module.flagsync.service_names == { api = "flagsync-prod-api", worker = "flagsync-prod-worker" }
    error_message = "Resources must be named after the environment."
  }
  assert {
    condition     = length(output.billing_alarm_arn) > 0 && var.billing_alarm_threshold_usd == 50
    error_message = "The billing alarm must be created, at the seed's 50 USD by default."
  }
}
