"""Running the selected rules on a file and turning their findings into located diagnostics."""
