"""Configuration: where it lives and what it may say, which files it reaches, and which rules it
enables for a file.

- :mod:`nianbao.config.files`: finding and reading ``nianbao.toml``/``pyproject.toml``
  (:class:`~nianbao.config.files.Config`, :class:`~nianbao.config.files.ConfigError`,
  :class:`~nianbao.config.files.ConfigResolver`);
- :mod:`nianbao.config.options`: the schema of the nianbao table (keys, types, did-you-mean);
- :mod:`nianbao.config.paths`: ``include``/``exclude`` and ``per-file-ignores`` globs;
- :mod:`nianbao.config.selection`: rule selection (:class:`~nianbao.config.selection.RuleRef`,
  :class:`~nianbao.config.selection.Selection`);
- :mod:`nianbao.config.profiles`: the profiles a configuration can choose (plugins' and its
  ``profile-files``) and a profile's rule settings laid under the user's.
"""
