"""Reading: bytes of a report file → decoded source text."""
