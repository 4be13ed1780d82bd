"""One router per group of resources; every object of a convention is reached through that convention, which the
caller must be allowed to see (``ctg.conventions.acces.convention_visible``: 404 otherwise)."""
