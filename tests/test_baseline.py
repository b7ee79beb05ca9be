"""Baselines and inline suppression directives."""

from __future__ import annotations

import json

from click.testing import CliRunner

from budgetlint.cli import main
from helpers import inject, reference_text


def run(*args: str):
    return CliRunner().invoke(main, [*args, "--no-cache"], catch_exceptions=False)


def findings(result) -> list[dict]:
    return json.loads(result.stdout)["findings"]


def test_baseline_hides_recorded_findings_and_shows_new_ones(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "doc.txt").write_text(reference_text(), encoding="utf-8")
    written = run("check", "doc.txt", "--select", "TXT", "--baseline-write", "baseline.json")
    assert written.exit_code == 0
    recorded = json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))["findings"]
    assert recorded and all(e["fingerprint"] and e["code"].startswith("TXT") for e in recorded)

    assert findings(run("check", "doc.txt", "--select", "TXT", "--baseline", "baseline.json", "--format", "json")) == []

    defect = inject("完成党工委、管委会交办的其他工作任务", "完成党工委、管委会交办的其他工作任务。。")
    (tmp_path / "doc.txt").write_text(defect, encoding="utf-8")
    new = findings(run("check", "doc.txt", "--select", "TXT", "--baseline", "baseline.json", "--format", "json"))
    assert [f["code"] for f in new] == ["TXT002"] and "。。" in new[0]["message"]


def test_stale_entries_are_reported_and_reasons_survive_rewrites(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "doc.txt").write_text(reference_text(), encoding="utf-8")
    run("check", "doc.txt", "--select", "TXT", "--baseline-write", "baseline.json")
    data = json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))
    data["findings"][0]["reason"] = "accepted by the bureau"
    (tmp_path / "baseline.json").write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    fixed_code = data["findings"][0]["code"]

    fixed = reference_text().replace("规范 and 加强", "规范和加强").replace("工资类费用。；", "工资类费用；")
    fixed = fixed.replace("支出包\n\n括", "支出包括")
    (tmp_path / "doc.txt").write_text(fixed, encoding="utf-8")
    result = findings(run("check", "doc.txt", "--select", "TXT", "--baseline", "baseline.json", "--format", "json"))
    assert result and {f["code"] for f in result} == {"LINT007"}
    assert all(f["path"] == "baseline.json" and f["line"] for f in result)

    (tmp_path / "doc.txt").write_text(reference_text(), encoding="utf-8")
    run("check", "doc.txt", "--select", "TXT", "--baseline-write", "baseline.json")
    rewritten = json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))["findings"]
    assert [e["reason"] for e in rewritten if e["code"] == fixed_code][0] == "accepted by the bureau"


def test_stale_entries_only_for_files_that_were_checked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(reference_text(), encoding="utf-8")
    (tmp_path / "b.txt").write_text("# 2026年部门预算\n\n本部门说明。\n", encoding="utf-8")
    run("check", "a.txt", "--select", "TXT", "--baseline-write", "baseline.json")
    assert findings(run("check", "b.txt", "--select", "TXT", "--baseline", "baseline.json", "--format", "json")) == []


def test_bad_baseline_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "doc.txt").write_text(reference_text(), encoding="utf-8")
    (tmp_path / "baseline.json").write_text("{not json", encoding="utf-8")
    result = run("check", "doc.txt", "--baseline", "baseline.json")
    assert result.exit_code == 2 and "baseline.json" in result.output


def test_inline_directive_silences_one_code_on_its_line_or_the_next(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = reference_text().replace("规范 and 加强", "规范 and 加强<!-- budgetlint: ignore[TXT001] -->")
    (tmp_path / "doc.txt").write_text(text, encoding="utf-8")
    codes = [f["code"] for f in findings(run("check", "doc.txt", "--select", "TXT", "--format", "json"))]
    assert "TXT001" not in codes and "TXT002" in codes

    above = reference_text().replace(
        "\n2026年度朔州经济开发区组织和人力资源部预算收入总计",
        "\n<!-- budgetlint: ignore[TXT002] -->\n2026年度朔州经济开发区组织和人力资源部预算收入总计",
    )
    (tmp_path / "doc.txt").write_text(above, encoding="utf-8")
    codes = [f["code"] for f in findings(run("check", "doc.txt", "--select", "TXT", "--format", "json"))]
    assert "TXT002" not in codes and "TXT001" in codes
