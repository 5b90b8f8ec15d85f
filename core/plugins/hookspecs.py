"""The plugin API: every hook a nianbao plugin can implement.

A plugin is a module or object with functions marked ``@hookimpl`` (imported, like every name a
plugin uses, from ``nianbao.api``) and named like the specifications below; it is found through
the ``nianbao`` entry-point group::

    [project.entry-points.nianbao]
    nianbao-myplace = "nianbao_myplace.plugin"

The entry point's name is the plugin's name in messages and in ``--require-plugins``; name it
after the distribution.

A province or city whose requirements are only data needs no hooks: a distribution that ships
profile TOML files in a package (an empty ``__init__.py`` beside them) names that package in the
``nianbao.profiles`` entry-point group, and every ``*.toml`` file in it is loaded as a profile::

    [project.entry-points."nianbao.profiles"]
    nianbao-myplace = "nianbao_myplace"

Each hook is called for each plugin separately, so one plugin that raises cannot take
the others down; its failure is reported with the plugin's name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping

import pluggy

if TYPE_CHECKING:
    from nianbao.output.formats import Formatter
    from nianbao.plugins.rule import Rule
    from nianbao.variants.profile import Profile

PROJECT_NAME = "nianbao"
"""The pluggy project name, also the entry-point group plugins register under."""

PROFILES_GROUP = f"{PROJECT_NAME}.profiles"
"""The entry-point group of data-only profile packages (see the module docstring)."""

PLUGIN_API_VERSION = "2.0"
"""Version of the plugin API (docs/plugin-api.md): the major number changes when a plugin
written for the previous one could break, the minor number when something is added. A plugin
may declare the version it was written for as ``NIANBAO_PLUGIN_API = "2.0"`` in its plugin
module; one written for another major version is refused with a message naming it."""

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def nianbao_rules() -> list[type[Rule]]:
    """Return the rule classes this plugin provides.

    Each class subclasses :class:`nianbao.api.Rule`, sets ``code`` (a prefix of the
    plugin's own plus three digits, never one of the built-in families PS ST TB AR DT NR
    SR XR), ``name``, ``summary``, ``severity``, ``eras`` and ``options``, documents itself
    in its docstring and implements ``check(document)``.
    """


@hookspec
def nianbao_table_templates() -> list[Mapping[str, Any]]:
    """Return extra table templates, as dicts with the schema of ``nianbao/data/templates/*.toml``.

    Use it for a local table or extra rows the national templates do not have.
    """


@hookspec
def nianbao_profiles() -> list[Profile]:
    """Return :class:`nianbao.api.Profile` objects: bundles of local requirements
    (deadlines, expected extra rows, lexicon entries, rule settings) that configuration
    selects by name (``profile = "NAME"``) or by place name (``profile = "auto"``).

    Keep the profile in a TOML file shipped with the plugin and read it with
    :func:`nianbao.api.load_profile`; docs/writing-plugins.md (section 6) shows the schema.
    """


@hookspec
def nianbao_lexicons() -> Mapping[str, Mapping[str, list[Any]]]:
    """Return extra lexicon entries: ``{lexicon name: {section: [entries]}}``.

    Entries have the shape of the built-in lexicon's section (a string, or a table with
    ``term`` and attributes, as in ``nianbao/data/lexicons/*.toml``). They are added for every report;
    entries that only apply to one place belong in that place's profile (``[lexicons.…]``).
    """


@hookspec
def nianbao_output_formats() -> list[Formatter]:
    """Return :class:`nianbao.api.Formatter` objects for ``nianbao check --format NAME``.

    A formatter has ``name`` (the ``--format`` value), ``description`` and
    ``format(diagnostics, context)``, which returns the whole output as a string; ``context`` is a
    :class:`nianbao.api.RunContext`.
    """
