"""AI components: light-weight language analysis used by the agents."""
