mock_provider "aws" {
  mock_resource "aws_sns_topic" {
    defaults = { arn = "arn:aws:sns:us-east-1:123456789012:flagsync-billing" }
  }
}

variables {
  name = "flagsync"
}

run "alarms_on_estimated_charges_at_the_seeds_50_usd" {
  command = apply

  assert {
    condition = (aws_cloudwatch_metric_alarm.estimated_charges.namespace == "AWS/Billing"
      && aws_cloudwatch_metric_alarm.estimated_charges.metric_name == "EstimatedCharges"
    && aws_cloudwatch_metric_alarm.estimated_charges.dimensions == tomap({ Currency = "USD" }))
    error_message = "The alarm must watch the account's estimated charges in USD."
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.estimated_charges.threshold == 50 && aws_cloudwatch_metric_alarm.estimated_charges.comparison_operator == "GreaterThanThreshold"
    error_message = "The default threshold is 50 USD a month."
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.estimated_charges.alarm_actions == toset([aws_sns_topic.billing.arn])
    error_message = "The alarm must notify the billing topic."
  }
}

run "threshold_is_a_variable" {
  command = plan

  variables {
    threshold_usd = 400
    email         = "oncall@example.com"
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.estimated_charges.threshold == 400 && length(aws_sns_topic_subscription.email) == 1
    error_message = "threshold_usd and email must reach the alarm and the topic."
  }
}

run "threshold_must_be_positive" {
  command = plan

  variables {
    threshold_usd = 0
  }

  expect_failures = [var.threshold_usd]
}
