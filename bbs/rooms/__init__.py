"""Live chat rooms: rooms, lines, invitations, scheduled sessions, presence and flood control."""
