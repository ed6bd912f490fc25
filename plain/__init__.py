"""The plain line front end: numbered menus and plain lines for screen readers, braille
displays, dumb terminals and the slowest links, over the same core services."""
