"""The ``budgetlint`` command line."""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from budgetlint import __version__, diagnostics
from budgetlint.cache import default_directory, disabled_by_environment
from budgetlint.catalogue import LANGUAGES, CatalogueError, ui
from budgetlint.config import ConfigError, ConfigResolver, Overrides
from budgetlint.engine import FileResult, Linter
from budgetlint.executors import DaskExecutor, Executor, ExecutorError, InProcessExecutor, LocalExecutor, isolated_call
from budgetlint.findings import Severity
from budgetlint.inputs import STDIN, collect, display_path
from budgetlint.isolation import Limits
from budgetlint.plugins import PluginError, Plugins, load_plugins
from budgetlint.report import Report
from budgetlint.reporters.builtin import budgetlint_formats
from budgetlint.reporters.common import display_width, summary_line
from budgetlint.runner import Progress, run
from budgetlint.spec import LintSpec

if TYPE_CHECKING:
    from budgetlint.baseline import Entry

USAGE_ERROR = 2
SEVERITIES = [s.value for s in Severity]
RULE_COLUMNS = ("code", "name", "severity", "plugin", "title")


class BudgetlintUsageError(click.ClickException):
    """A clear one-line error with exit code 2 (bad config, plugin conflict…)."""

    exit_code = USAGE_ERROR


def _split_codes(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(code.strip().upper() for value in values for code in value.split(",") if code.strip())


def _plugins(options: Sequence[str], lang: str | None = None) -> Plugins:
    try:
        plugins = load_plugins(options)
    except (PluginError, CatalogueError) as exc:
        raise BudgetlintUsageError(ui("plugin_error", "en", error=exc)) from exc
    _warn(plugins, lang or "zh")
    return plugins


def _warn(plugins: Plugins, lang: str) -> None:
    """Plugin warnings (hook functions pluggy ignores) on stderr."""
    for warning in plugins.warnings:
        click.echo(ui("plugin_warning", lang, warning=warning), err=True)


def plugin_option(function: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "-p",
        "plugin_options",
        multiple=True,
        metavar="MODULE|no:NAME",
        help="Load one more plugin module, or block one with no:NAME.",
    )(function)


def lang_option(function: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--lang", type=click.Choice(LANGUAGES), default=None, help="Message language (default zh).")(
        function
    )


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    plugins = _plugins(())
    click.echo(f"budgetlint {__version__}")
    for info in sorted(plugins.info.values(), key=lambda i: i.name):
        click.echo(f"  {info.name}: {info.distribution} {info.version}")
    ctx.exit()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="Show the version and the loaded plugins.")
def main() -> None:
    """budgetlint: lint Chinese government budget disclosures (部门预算/决算公开)."""
    # pdfminer warns about damaged fonts and objects on stderr; what matters reaches the report as findings.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--document", "documents", multiple=True, metavar="PART,PART…",
              help="Files that together form one disclosure (e.g. narrative and tables), linted as one document.")
@click.option("--format", "format_name", default="concise", show_default=True, metavar="FORMAT",
              help="Output format: " + ", ".join(f.name for f in budgetlint_formats()) + " (or one a plugin adds).")
@click.option("-o", "--output-file", type=click.Path(dir_okay=False, writable=True), help="Write the output here.")
@click.option("--output", "extra_outputs", multiple=True, metavar="FORMAT:FILE",
              help="Also write FORMAT to FILE (repeatable).")
@click.option("--select", multiple=True, help="Only these codes or prefixes (comma-separated).")
@click.option("--extend-select", multiple=True, help="Add these codes or prefixes.")
@click.option("--ignore", multiple=True, help="Skip these codes or prefixes.")
@click.option("--fail-on", type=click.Choice(SEVERITIES), default=None, help="Lowest severity that fails (default error).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings reach the fail level.")
@click.option("--min-severity", type=click.Choice(SEVERITIES), default=None,
              help="Show only findings of this severity or above (default: warning for concise, full and grouped; "
                   "info for the formats tools read).  The summary counts every finding.")
@click.option("--statistics", is_flag=True,
              help="Print the number of findings per rule and per file, not the findings.")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Use this configuration file instead of the nearest one.")
@click.option("--password", default=None, help="Password for encrypted PDFs.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Files checked in parallel (default: the number of CPUs).")
@click.option("--timeout", type=click.FloatRange(min=0), default=60.0, show_default=True,
              help="Seconds allowed per file (0: no limit, no isolation).")
@click.option("--memory-limit", type=click.IntRange(min=0), default=2048, show_default=True,
              help="Memory ceiling per file in MB (0: none).")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the result cache.")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where the result cache lives (shared storage for a cluster); default: the user cache folder.")
@click.option("--executor", "executor_name", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Run documents in local processes, or on a Dask cluster.")
@click.option("--scheduler", help="Dask scheduler address (tcp://HOST:8786); without it, a LocalCluster.")
@click.option("--report-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write one HTML report per document and an overview (index.html) linking them.")
@click.option("--stream", type=click.Path(dir_okay=False, path_type=Path),
              help="Append each document's findings to this JSON-lines file as soon as it is done.")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Hide the findings recorded in this baseline; report its stale entries.")
@click.option("--baseline-write", "baseline_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Record the current findings in this baseline file and exit 0.")
@click.option("--annotate", "annotate_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write a copy of the (single) PDF input with each finding highlighted.")
@lang_option
@plugin_option
def check(paths: tuple[str, ...], documents: tuple[str, ...], format_name: str, output_file: str | None,
          extra_outputs: tuple[str, ...], select: tuple[str, ...], extend_select: tuple[str, ...],
          ignore: tuple[str, ...], fail_on: str | None, exit_zero: bool, min_severity: str | None, statistics: bool,
          config_path: Path | None,
          password: str | None, jobs: int | None, timeout: float, memory_limit: int, no_cache: bool,
          cache_dir: Path | None, executor_name: str, scheduler: str | None, report_dir: Path | None,
          stream: Path | None,
          baseline_path: Path | None, baseline_out: Path | None, annotate_out: Path | None, lang: str | None,
          plugin_options: tuple[str, ...]) -> None:
    """Check budget documents (files, directories, globs, URLs, or - for stdin; default: the current folder)."""
    overrides = Overrides(
        select=_split_codes(select) or None,
        extend_select=_split_codes(extend_select),
        ignore=_split_codes(ignore),
        fail_on=Severity(fail_on) if fail_on else None,
        lang=lang,
    )
    use_cache = not (no_cache or disabled_by_environment())
    spec = LintSpec(
        plugin_options=plugin_options,
        overrides=overrides,
        config_path=str(config_path) if config_path else None,
        read_options=(("password", password),) if password else (),
        cache_dir=str(cache_dir or default_directory()) if use_cache else None,
        limits=Limits(seconds=timeout, memory_mb=memory_limit),
    )
    linter = _linter(spec, lang)
    plugins = linter.plugins
    settings = linter.resolver.global_settings()
    _warn(plugins, settings.lang)
    outputs = [(format_name, output_file)] + [_parse_output(spec, settings.lang) for spec in extra_outputs]
    for name, _ in outputs:
        _format(plugins, name, settings.lang)
    _check_folders([d for _, d in outputs] + [baseline_out, annotate_out, stream], settings.lang)
    accepted = _read_baseline(baseline_path, settings.lang) if baseline_path is not None else None
    files = _inputs(paths, documents, settings, plugins)
    annotate_input = _annotate_input(files, settings.lang) if annotate_out else None

    executor = _executor(executor_name, spec, jobs, scheduler, settings.lang)
    try:
        with progress_bar(len(files), settings.lang) as progress, _streamer(stream, settings.lang) as write_stream:
            def on_result(done: int, total: int, result: FileResult) -> None:
                write_stream(result)
                if progress:
                    progress(done, total, result.path)

            outcome = run(spec, files, _report_lang(linter, files, settings.lang), executor, on_result)
    except ConfigError as exc:
        raise BudgetlintUsageError(ui("bad_config", settings.lang, error=exc)) from exc
    finally:
        getattr(executor, "close", lambda: None)()

    lang = outcome.report.lang
    if baseline_out is not None:
        previous = _read_baseline(baseline_out, lang) if baseline_out.exists() else []
        from budgetlint import baseline

        with _writing(baseline_out, lang):
            count = baseline.write(baseline_out, outcome.report.findings, previous)
        click.echo(ui("baseline_written", lang, count=count, path=baseline_out), err=True)
        sys.exit(USAGE_ERROR if outcome.failed else 0)
    if accepted is not None:
        _apply_baseline(outcome.report, accepted, str(baseline_path), plugins)
    reading = _format(plugins, outputs[0][0], lang).reading and not statistics
    outcome.report.show_from(Severity(min_severity or ("warning" if reading else "info")))
    for index, (name, destination) in enumerate(outputs):
        render = _statistics if statistics and index == 0 else _format(plugins, name, lang).render
        _write(render(replace(outcome.report, written_to=destination)), destination, lang)
    if output_file is not None:
        click.echo(summary_line(outcome.report), err=True)
    if annotate_input and annotate_out:
        with _writing(annotate_out, lang):
            _annotate(annotate_input, outcome.report, annotate_out)
    if report_dir is not None:
        from budgetlint.reporters.overview import write_report_dir

        with _writing(report_dir, lang):
            write_report_dir(outcome.report, report_dir)
    sys.exit(outcome.exit_code(settings.fail_on, exit_zero))


def _linter(spec: LintSpec, lang: str | None) -> Linter:
    try:
        linter = spec.linter()
        linter.resolver.global_settings()
        return linter
    except (PluginError, CatalogueError) as exc:
        raise BudgetlintUsageError(ui("plugin_error", "en", error=exc)) from exc
    except ConfigError as exc:
        raise BudgetlintUsageError(ui("bad_config", lang or "zh", error=exc)) from exc


def _inputs(paths: Sequence[str], documents: Sequence[str], settings, plugins: Plugins) -> list[str | tuple[str, ...]]:
    """Files to check, with multi-part documents (``--document``, ``documents =``) as tuples.

    With neither paths nor ``--document``, the current folder is checked (as ruff does).
    """
    suffixes = {s for reader in plugins.readers for s in reader.suffixes}
    paths = paths or (() if documents else (".",))
    groups = [_parts(spec, settings.lang) for spec in documents]
    groups += [tuple(map(display_path, g)) for g in settings.documents]
    in_groups = {part for group in groups for part in group}
    files = [f for f in collect(paths, suffixes) if f not in in_groups] + groups
    if not files:
        raise BudgetlintUsageError(ui("no_input", settings.lang, path=" ".join(paths)))
    return files


def _report_lang(linter: Linter, files: Sequence[str | tuple[str, ...]], lang: str) -> str:
    """The report's language: the one the checked files' configuration files agree on, else ``lang``."""
    langs = {linter.resolver.for_path(item if isinstance(item, str) else item[0]).lang for item in files}
    return langs.pop() if len(langs) == 1 else lang


def _executor(name: str, spec: LintSpec, jobs: int | None, scheduler: str | None, lang: str) -> Executor:
    if name == "dask":
        try:
            return DaskExecutor(spec.limits, scheduler, workers=jobs or os.cpu_count() or 1)
        except ExecutorError as exc:
            raise BudgetlintUsageError(exc.text(lang)) from exc
    if not spec.limits.seconds:
        return InProcessExecutor()
    return LocalExecutor(jobs or os.cpu_count() or 1, spec.limits)


@contextmanager
def _streamer(path: Path | None, lang: str) -> Iterator[Callable[[FileResult], None]]:
    """Write each document's findings as JSON lines the moment its result arrives."""
    if path is None:
        yield lambda result: None
        return
    with _writing(path, lang):
        handle = path.open("w", encoding="utf-8")
    with handle:
        def write(result: FileResult) -> None:
            for finding in result.findings:
                handle.write(json.dumps(finding.to_dict(), ensure_ascii=False) + "\n")
            handle.flush()

        yield write


def _annotate_input(files: Sequence[str | tuple[str, ...]], lang: str) -> str:
    """The one PDF input ``--annotate`` copies; a usage error if there is none, several, or no pypdf."""
    from budgetlint.annotate import AnnotateError, single_pdf

    try:
        return single_pdf([p for f in files for p in ((f,) if isinstance(f, str) else f)], lang)
    except AnnotateError as exc:
        raise BudgetlintUsageError(str(exc)) from exc


def _annotate(pdf: str, report: Report, destination: Path) -> None:
    """Write the annotated copy of ``pdf`` (see budgetlint.annotate)."""
    from budgetlint.annotate import annotate

    annotate(pdf, report.findings, str(destination), report.lang)


@contextmanager
def progress_bar(total: int, lang: str) -> Iterator[Progress | None]:
    """A progress bar on stderr for long runs on a terminal; nothing when piped, under CI or in a pre-commit hook."""
    if total < 2 or os.environ.get("CI") or os.environ.get("PRE_COMMIT") or not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=total, label=ui("progress", lang), file=sys.stderr,
                           item_show_func=lambda path: path or "") as bar:
        yield lambda done, _total, path: bar.update(done - bar.pos, path)


def _parts(spec: str, lang: str) -> tuple[str, ...]:
    parts = tuple(display_path(p.strip()) for p in spec.split(",") if p.strip())
    if not parts:
        raise BudgetlintUsageError(ui("bad_document_option", lang, value=spec))
    return parts


def _read_baseline(path: Path, lang: str) -> list[Entry]:
    from budgetlint import baseline

    try:
        return baseline.read(path)
    except baseline.BaselineError as exc:
        raise BudgetlintUsageError(ui("bad_baseline", lang, path=path, reason=ui(exc.key, lang, **exc.values))) from exc


def _apply_baseline(report: Report, entries: list[Entry], path: str, plugins: Plugins) -> None:
    from budgetlint import baseline

    kept, stale = baseline.apply(report.findings, entries, set(report.files))
    rule = plugins.rules[diagnostics.STALE_BASELINE]
    report.findings = sorted(kept + baseline.stale_findings(stale, rule, report.lang, path), key=lambda f: f.sort_key())


def _parse_output(spec: str, lang: str) -> tuple[str, str]:
    name, sep, destination = spec.partition(":")
    if not sep or not destination:
        raise BudgetlintUsageError(ui("bad_output_option", lang, value=spec))
    return name, destination


def _format(plugins: Plugins, name: str, lang: str):
    fmt = plugins.formats.get(name)
    if fmt is None:
        raise BudgetlintUsageError(ui("unknown_format", lang, name=name, names=", ".join(sorted(plugins.formats))))
    return fmt


def _write(text: str, destination: str | None, lang: str) -> None:
    if destination is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    with _writing(Path(destination), lang):
        Path(destination).write_text(text, encoding="utf-8")


@contextmanager
def _writing(path: Path, lang: str) -> Iterator[None]:
    """Turn a failure to write ``path`` into a one-line usage error (exit code 2)."""
    try:
        yield
    except OSError as exc:
        raise BudgetlintUsageError(ui("cannot_write", lang, path=path, reason=_write_reason(exc, lang))) from exc


def _check_folders(destinations: Sequence[str | Path | None], lang: str) -> None:
    """Fail before any checking when an output file's folder does not exist."""
    for destination in destinations:
        if destination is not None and not Path(destination).parent.is_dir():
            raise BudgetlintUsageError(ui("cannot_write", lang, path=destination, reason=ui("no_folder", lang)))


def _write_reason(exc: OSError, lang: str) -> str:
    if isinstance(exc, FileNotFoundError):
        return ui("no_folder", lang)
    if isinstance(exc, IsADirectoryError):
        return ui("is_a_folder", lang)
    if isinstance(exc, PermissionError):
        return ui("no_write_permission", lang)
    return exc.strerror or str(exc)


def _statistics(report: Report) -> str:
    lines = [ui("statistics_header", report.lang)]
    for code, count in sorted(report.by_code().items()):
        rule = report.rules.get(code)
        title = rule and rule.title.get(report.lang, "")
        lines.append(f"{count:6d}  {code}  {title or ''}")
    lines.append(ui("statistics_files", report.lang))
    for path, count in sorted(report.by_file().items()):
        lines.append(f"{count:6d}  {path}")
    return "\n".join(lines) + "\n"


@main.command(name="rules")
@click.option("--format", "format_name", type=click.Choice(["table", "json"]), default="table", show_default=True)
@lang_option
@plugin_option
def list_rules(format_name: str, lang: str | None, plugin_options: tuple[str, ...]) -> None:
    """List every rule: code, name, default severity, plugin."""
    plugins = _plugins(plugin_options, lang)
    lang = lang or "zh"
    rows = [
        {"code": code, "name": rule.name, "severity": rule.severity_label,
         "plugin": plugins.rule_plugin[code], "title": rule.title.get(lang, "")}
        for code, rule in sorted(plugins.rules.items())
    ]
    if format_name == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    header = [ui(f"rules_{key}", lang) for key in RULE_COLUMNS]
    click.echo(_aligned([header] + [[row[key] for key in RULE_COLUMNS] for row in rows]))


def _aligned(rows: Sequence[Sequence[str]]) -> str:
    """Rows as columns padded to their widest cell (the last column unpadded)."""
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return "\n".join(
        "  ".join([cell + " " * (width - display_width(cell)) for cell, width in zip(row, widths)] + [row[-1]])
        for row in rows
    )


@main.command(name="rule")
@click.argument("code")
@click.option("--format", "format_name", type=click.Choice(["text", "json"]), default="text", show_default=True)
@lang_option
@plugin_option
def show_rule(code: str, format_name: str, lang: str | None, plugin_options: tuple[str, ...]) -> None:
    """Print a rule's documentation: what it does, why, an example, its authority."""
    plugins = _plugins(plugin_options, lang)
    lang = lang or "zh"
    rule = plugins.rules.get(code.upper())
    if rule is None:
        raise BudgetlintUsageError(ui("unknown_rule", lang, code=code))
    plugin = plugins.rule_plugin[rule.code]
    from budgetlint import docs

    if format_name == "json":
        click.echo(json.dumps(docs.rule_dict(rule, plugin), ensure_ascii=False, indent=2))
    else:
        click.echo(docs.rule_markdown(rule, plugin, lang))


@main.command(name="plugins")
@plugin_option
def list_plugins(plugin_options: tuple[str, ...]) -> None:
    """List the loaded plugins with their versions and rule codes."""
    plugins = _plugins(plugin_options)
    for info in sorted(plugins.info.values(), key=lambda i: i.name):
        codes = ", ".join(info.rule_codes) or "-"
        click.echo(f"{info.name:16} {info.distribution} {info.version:10} {codes}")


@main.command(name="stats")
@click.argument("paths", nargs=-1)
@click.option("--document", "documents", multiple=True, metavar="PART,PART…",
              help="Files that together form one disclosure, measured as one document.")
@click.option("--format", "format_name", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Documents measured in parallel (default: the number of CPUs).")
@click.option("--password", default=None, help="Password for encrypted PDFs.")
@click.option("--timeout", type=click.FloatRange(min=0), default=60.0, show_default=True,
              help="Seconds allowed per document (0: no limit).")
@click.option("--memory-limit", type=click.IntRange(min=0), default=2048, show_default=True,
              help="Memory ceiling per document in MB (0: none).")
@lang_option
@plugin_option
def stats_command(paths: tuple[str, ...], documents: tuple[str, ...], format_name: str, jobs: int | None,
                  password: str | None, timeout: float, memory_limit: int, lang: str | None,
                  plugin_options: tuple[str, ...]) -> None:
    """Model-quality report: tables recognised, equations holding, failing and withheld, per document."""
    from budgetlint import stats

    plugins = _plugins(plugin_options, lang)
    linter = Linter(plugins, ConfigResolver(Overrides()), {"password": password} if password else None)
    settings = linter.resolver.global_settings()
    lang = lang or settings.lang
    inputs = [item if isinstance(item, tuple) else (item,) for item in _inputs(paths, documents, settings, plugins)]
    rows = stats.collect(linter, inputs, jobs or os.cpu_count() or 1, Limits(seconds=timeout, memory_mb=memory_limit))
    click.echo(stats.render_json(rows) if format_name == "json" else stats.render_table(rows, lang), nl=False)


@main.command(name="extract")
@click.argument("path")
@click.option("--format", "format_name", type=click.Choice(["json"]), default="json", show_default=True)
@click.option("--password", default=None, help="Password for encrypted PDFs.")
@click.option("--timeout", type=click.FloatRange(min=0), default=60.0, show_default=True,
              help="Seconds allowed (0: no limit).")
@click.option("--memory-limit", type=click.IntRange(min=0), default=2048, show_default=True,
              help="Memory ceiling in MB (0: none).")
@plugin_option
def extract_command(path: str, format_name: str, password: str | None, timeout: float, memory_limit: int,
                    plugin_options: tuple[str, ...]) -> None:
    """Dump the parsed document and budget model as JSON."""
    plugins = _plugins(plugin_options)
    linter = Linter(plugins, ConfigResolver(Overrides()), {"password": password} if password else None)
    data = sys.stdin.buffer.read() if path == STDIN else None
    from budgetlint import extract

    limits = Limits(seconds=timeout, memory_mb=memory_limit)
    outcome = isolated_call(functools.partial(extract.extract_or_error, linter, data=data), path, limits)
    if outcome.failure:
        limit = {"time": ui("limit_seconds", "en", seconds=timeout), "memory": ui("limit_memory", "en", mb=memory_limit)}
        reason = plugins.rules[diagnostics.TIME_LIMIT].message("en", limit=limit[outcome.failure]) if outcome.failure in limit \
            else outcome.failure
        raise BudgetlintUsageError(f"{path}: {reason}")
    if isinstance(outcome.result, extract.ExtractError):
        raise BudgetlintUsageError(str(outcome.result))
    click.echo(json.dumps(outcome.result, ensure_ascii=False, indent=1))
