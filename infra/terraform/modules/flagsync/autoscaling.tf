# The API scales on CPU and on requests per task, whichever asks for more tasks.

resource "aws_appautoscaling_target" "api" {
  service_namespace  = "ecs"
  resource_id        = "service/${aws_ecs_cluster.this.name}/${aws_ecs_service.api.name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = local.s.api_min_count
  max_capacity       = local.s.api_max_count
  tags               = local.tags
}

locals {
  scaling_policies = {
    cpu = {
      metric = "ECSServiceAverageCPUUtilization"
      target = local.s.api_cpu_target_percent
      label  = null
    }
    # Requests per task per minute. Open SSE streams are not requests: see docs/operations.md.
    requests = {
      metric = "ALBRequestCountPerTarget"
      target = local.s.request_count_target
      label  = "${aws_lb.api.arn_suffix}/${aws_lb_target_group.api.arn_suffix}"
    }
  }
}

resource "aws_appautoscaling_policy" "api" {
  for_each = local.scaling_policies

  name               = "${var.name}-api-${each.key}"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.api.service_namespace
  resource_id        = aws_appautoscaling_target.api.resource_id
  scalable_dimension = aws_appautoscaling_target.api.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = each.value.target
    scale_in_cooldown  = 300
    scale_out_cooldown = 60

    predefined_metric_specification {
      predefined_metric_type = each.value.metric
      resource_label         = each.value.label
    }
  }
}
