"""The extension contract: what a rule is, the hook specifications, and the plugin manager that loads them."""
