"""Local stand-ins for remote SaaS we cannot reach from the test machine."""
