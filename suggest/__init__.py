"""Personal suggestions' theme engine (scikit-learn), injected into the core by the server."""
