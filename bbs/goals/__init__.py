"""Goals: check-ins, rest days, streaks and badges, the companion, partners and cheers."""
