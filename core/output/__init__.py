"""What a run writes: output formats, fingerprints and baselines."""
