"""The generation of each convention's data: a random token that every write to what the convention owns replaces,
in the same transaction as the write. What is computed from a convention's data for every user alike (the deadlines
and alerts of its dashboard…) is kept under that token and the day (``memoire.memorise``): a write shows at once, on
every server process, and nothing is computed twice for the same state."""
