"""Personal suggestions and peer matching, and their background refresher."""
