"""Agent orchestration: routes each player turn to the agents that respond to it."""
