# A billing alarm, apart from the flagsync module because AWS publishes billing metrics in
# us-east-1 only and an alarm's actions must be in its own region: call this module with a
# us-east-1 provider, whatever region the stack runs in (see examples/complete).

variable "name" {
  description = "Prefix of the alarm's and topic's names."
  type        = string
}

variable "threshold_usd" {
  description = "Alarm when the account's estimated charges for the month pass this (USD)."
  type        = number
  default     = 50

  validation {
    condition     = var.threshold_usd > 0
    error_message = "threshold_usd must be positive."
  }
}

variable "email" {
  description = "If set, subscribed to the billing topic (confirm the e-mail AWS sends)."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags of the alarm and the topic."
  type        = map(string)
  default     = {}
}

resource "aws_sns_topic" "billing" {
  name = "${var.name}-billing"
  tags = var.tags
}

resource "aws_sns_topic_subscription" "email" {
  count = var.email == null ? 0 : 1

  topic_arn = aws_sns_topic.billing.arn
  protocol  = "email"
  endpoint  = var.email
}

# Needs "Receive Billing Alerts" turned on once per account (Billing preferences). The metric
# is the account's month-to-date total, so other workloads in the account count too; it is
# published a few times a day, hence the 6-hour period.
resource "aws_cloudwatch_metric_alarm" "estimated_charges" {
  alarm_name          = "${var.name}-estimated-charges"
  alarm_description   = "${var.name}: the account's estimated charges this month passed ${var.threshold_usd} USD. See docs/operations.md, Monthly cost."
  namespace           = "AWS/Billing"
  metric_name         = "EstimatedCharges"
  dimensions          = { Currency = "USD" }
  statistic           = "Maximum"
  period              = 21600
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.threshold_usd
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.billing.arn]
  tags                = var.tags
}

output "alarm_arn" {
  description = "The billing alarm."
  value       = aws_cloudwatch_metric_alarm.estimated_charges.arn
}

output "topic_arn" {
  description = "SNS topic (us-east-1) the billing alarm notifies."
  value       = aws_sns_topic.billing.arn
}
