"""The community's texts: help and crisis lines, guidelines, what we store, and the notes
built from them."""
