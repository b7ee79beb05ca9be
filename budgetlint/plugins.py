"""The plugin manager: finds plugins, and collects what they register.

Like flake8's plugin finder, built-in plugins are found through the same
``budgetlint`` entry-point group as third-party ones.  ``-p MODULE`` adds a
plugin by module name; ``-p no:NAME`` blocks one; setting
``BUDGETLINT_DISABLE_PLUGIN_AUTOLOAD=1`` skips the entry points of every
other distribution (as pytest's PYTEST_DISABLE_PLUGIN_AUTOLOAD does), so
only budgetlint's own plugins and those named with ``-p`` load.

One policy for a plugin that cannot be used — it fails to import, a
registration hook raises, it registers an invalid rule or a code another
plugin claims, it implements an unknown hook: :class:`PluginError`, and
nothing is checked.  A run with some rules silently missing would look like
a clean result; ``-p no:NAME`` runs without the plugin, knowingly.  The core
plugin cannot be blocked.
"""

from __future__ import annotations

import hashlib
import importlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib.metadata import Distribution, EntryPoint, entry_points
from pathlib import Path
from types import ModuleType

import pluggy

from budgetlint import diagnostics, hookspecs
from budgetlint.readers import Reader
from budgetlint.report import PluginInfo
from budgetlint.reporters import Format
from budgetlint.rules import Rule, rule_problem

AUTOLOAD_ENV = "BUDGETLINT_DISABLE_PLUGIN_AUTOLOAD"
CORE = "core"
CORE_PLUGINS = {CORE: diagnostics}


class PluginError(Exception):
    """A plugin cannot be used: it fails to import, or it conflicts with another."""


@dataclass
class Plugins:
    """The loaded plugin manager and everything its plugins registered."""

    manager: pluggy.PluginManager
    info: dict[str, PluginInfo] = field(default_factory=dict)
    rules: dict[str, Rule] = field(default_factory=dict)
    rule_plugin: dict[str, str] = field(default_factory=dict)
    readers: list[Reader] = field(default_factory=list)
    formats: dict[str, Format] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def hook(self) -> pluggy.HookRelay:
        return self.manager.hook


def load_plugins(options: Sequence[str] = (), autoload: bool | None = None) -> Plugins:
    """Build the plugin manager from entry points and ``-p`` options.

    Any plugin that cannot be used raises :class:`PluginError` (see the module
    docstring); functions named like hooks but not marked ``@hookimpl`` are
    recorded in ``warnings``.
    """
    manager = pluggy.PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    blocked = {opt[3:] for opt in options if opt.startswith("no:")}
    extra = [opt for opt in options if not opt.startswith("no:")]
    if CORE in blocked:
        raise PluginError(
            f"-p no:{CORE}: the core plugin cannot be blocked (it runs every rule's check and reports the LINT diagnostics)"
        )
    for name in blocked:
        manager.set_blocked(name)

    distributions: dict[str, tuple[str, str]] = {}
    for name, module in CORE_PLUGINS.items():
        manager.register(module, name=name)
        distributions[name] = (hookspecs.PROJECT, _own_version())

    if autoload is None:
        autoload = not os.environ.get(AUTOLOAD_ENV)
    seen: dict[Distribution, tuple[str, str]] = {}
    for ep in entry_points(group=hookspecs.PROJECT):
        if not autoload and _distribution(ep, seen)[0] != hookspecs.PROJECT:
            continue
        if manager.is_blocked(ep.name) or manager.has_plugin(ep.name):
            continue
        try:
            plugin = ep.load()
            manager.register(plugin, name=ep.name)
        except Exception as exc:
            raise PluginError(
                f"plugin {ep.name!r} ({ep.value}) failed to load: {exc!r}; run without it with -p no:{ep.name}"
            ) from exc
        dist, version = _distribution(ep, seen)
        # A plugin may state its own version, e.g. one folding in a digest of the data files it reads
        # (the result cache is keyed on plugin versions).
        distributions[ep.name] = (dist, str(getattr(plugin, "__version__", "") or version))

    for module_name in extra:
        if manager.is_blocked(module_name) or manager.has_plugin(module_name):
            continue
        try:
            module = importlib.import_module(module_name)
        except Exception as exc:
            raise PluginError(f"-p {module_name}: cannot import: {exc!r}") from exc
        manager.register(module, name=module_name)
        distributions[module_name] = (module_name, _module_version(module))

    try:
        manager.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError(str(exc)) from exc

    plugins = Plugins(manager=manager)
    _collect(plugins, distributions)
    for name, plugin in _active(manager):
        plugins.warnings.extend(_unmarked_hooks(manager, name, plugin))
    return plugins


def _active(manager: pluggy.PluginManager) -> list[tuple[str, object]]:
    """(name, plugin) of every registered plugin; blocked names are listed by pluggy with None."""
    return [(name, plugin) for name, plugin in manager.list_name_plugin() if plugin is not None]


def _unmarked_hooks(manager: pluggy.PluginManager, name: str, plugin: object) -> list[str]:
    """Functions named like hooks but not marked ``@hookimpl``: pluggy ignores them, silently."""
    prefix = f"{hookspecs.PROJECT}_"
    return [
        f"plugin {name!r}: {attr}() is not marked @hookimpl, so it never runs "
        f"(from budgetlint.hookspecs import hookimpl, and decorate it)"
        for attr in sorted(dir(plugin))
        if attr.startswith(prefix) and callable(getattr(plugin, attr, None))
        and manager.parse_hookimpl_opts(plugin, attr) is None
    ]


def _collect(plugins: Plugins, distributions: dict[str, tuple[str, str]]) -> None:
    hook = plugins.manager.hook
    codes_by_plugin: dict[str, list[str]] = {}
    for plugin_name, rules in _results(hook.budgetlint_rules):
        for rule in rules:
            problem = rule_problem(rule)
            if problem:
                code = getattr(rule, "code", rule)
                raise PluginError(f"plugin {plugin_name!r} registers an invalid rule {code!r}: {problem}")
            owner = plugins.rule_plugin.get(rule.code)
            if owner == plugin_name:
                raise PluginError(f"plugin {plugin_name!r} registers rule {rule.code} twice")
            if owner is not None:
                raise PluginError(
                    f"rule code {rule.code} is claimed by both plugin {owner!r} and plugin {plugin_name!r}"
                )
            plugins.rules[rule.code] = rule
            plugins.rule_plugin[rule.code] = plugin_name
            codes_by_plugin.setdefault(plugin_name, []).append(rule.code)
    for _, readers in _results(hook.budgetlint_readers):
        plugins.readers.extend(readers)
    for _, formats in _results(hook.budgetlint_formats):
        for fmt in formats:
            if fmt.name in plugins.formats:
                raise PluginError(f"output format {fmt.name!r} is registered twice")
            plugins.formats[fmt.name] = fmt
    for name, _ in _active(plugins.manager):
        dist, version = distributions.get(name, ("?", "?"))
        plugins.info[name] = PluginInfo(name, dist, version, tuple(sorted(codes_by_plugin.get(name, ()))))


def _results(hook: pluggy.HookCaller) -> list[tuple[str, list]]:
    """Each plugin's answer to a registration hook; a plugin that raises is a :class:`PluginError`."""
    answers = []
    for impl in hook.get_hookimpls():
        try:
            answers.append((impl.plugin_name, list(impl.function() or ())))
        except Exception as exc:
            raise PluginError(
                f"plugin {impl.plugin_name!r} failed in {hook.name}: {exc}; run without it with -p no:{impl.plugin_name}"
            ) from exc
    return answers


def _distribution(ep: EntryPoint, seen: dict[Distribution, tuple[str, str]]) -> tuple[str, str]:
    """Name and version of the distribution providing ``ep``, its metadata read once per distribution."""
    if ep.dist is None:
        return ("?", "?")
    if ep.dist not in seen:
        metadata = ep.dist.metadata
        seen[ep.dist] = (metadata["Name"], metadata["Version"])
    return seen[ep.dist]


def _module_version(module: ModuleType) -> str:
    """A ``-p`` module's ``__version__``, else a digest of its file, so the result cache follows its edits."""
    version = getattr(module, "__version__", "")
    if version:
        return str(version)
    try:
        return "sha256:" + hashlib.sha256(Path(module.__file__ or "").read_bytes()).hexdigest()[:12]
    except OSError:
        return ""


def _own_version() -> str:
    from budgetlint import __version__

    return __version__
