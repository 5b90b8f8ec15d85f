"""AR: the official tables add up — the relations each template declares, checked cell by cell."""
