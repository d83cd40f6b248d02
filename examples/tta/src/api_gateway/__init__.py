"""API gateway: the HTTP front door of the game's services."""
