"""Infrastructure: configuration, retries and health checks shared by every service."""
