# The API behind an Application Load Balancer, health-checked on /health/ready.

resource "aws_lb" "api" {
  name                       = "${var.name}-api"
  load_balancer_type         = "application"
  internal                   = var.alb_internal
  subnets                    = var.alb_subnet_ids
  security_groups            = [aws_security_group.this["alb"].id]
  drop_invalid_header_fields = true
  enable_deletion_protection = var.deletion_protection
  # SSE streams send a heartbeat every 5 s (SSE_HEARTBEAT_SECONDS), well inside this.
  idle_timeout = 60
  tags         = local.tags
}

resource "aws_lb_target_group" "api" {
  name        = "${var.name}-api"
  port        = local.api_port
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = var.vpc_id
  # Streams last up to SSE_MAX_LIFETIME_SECONDS; waiting for them would stall every deploy.
  # Cut off, EventSource clients reconnect with Last-Event-ID to another task.
  deregistration_delay = 30

  health_check {
    path                = "/health/ready"
    matcher             = "200"
    interval            = 10
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }

  tags = local.tags
}

resource "aws_lb_listener" "serving" {
  load_balancer_arn = aws_lb.api.arn
  port              = local.https ? 443 : 80
  protocol          = local.https ? "HTTPS" : "HTTP"
  ssl_policy        = local.https ? "ELBSecurityPolicy-TLS13-1-2-2021-06" : null
  certificate_arn   = var.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.api.arn
  }

  tags = local.tags
}

resource "aws_lb_listener" "redirect" {
  count = local.https ? 1 : 0

  load_balancer_arn = aws_lb.api.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"
    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }

  tags = local.tags
}

# /metrics (and the benchmark endpoints, if ever enabled) are for the scraper inside the VPC,
# not for the internet.
resource "aws_lb_listener_rule" "internal_paths" {
  listener_arn = aws_lb_listener.serving.arn
  priority     = 10

  condition {
    path_pattern {
      values = ["/metrics", "/metrics/*", "/bench/*"]
    }
  }

  action {
    type = "fixed-response"
    fixed_response {
      content_type = "application/json"
      status_code  = "404"
      message_body = "{\"error\":\"not_found\",\"message\":\"not served through the load balancer\"}"
    }
  }

  tags = local.tags
}
