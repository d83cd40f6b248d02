"""Player experience: profiles, sign-in and play sessions of the adventure."""

from player_experience.models import PlayerProfile, Turn
from player_experience.session import SessionManager

__all__ = ["PlayerProfile", "SessionManager", "Turn"]
