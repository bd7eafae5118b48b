"""A match model of one's own: labels, fit, review, and --model through the command line."""

from __future__ import annotations

import csv

import pytest

from namecleaner.cli import main
from namecleaner.cluster.model import logit
from namecleaner.cluster.score import FEATURE_NAMES, read_match_model, shipped_model
from namecleaner.cluster.training import read_labels
from namecleaner.errors import DataFileError

SAME = [
    ("Motorola Inc", "Motorla Inc"),
    ("Nokia Corporation", "Nokai Corporation"),
    ("Siemens AG", "Siemmens AG"),
    ("Toyota Motor", "Toyotta Motor"),
    ("International Business Machines", "Internationale Business Machine"),
    ("General Electric Company", "Genral Electric Co"),
    ("Hitachi Ltd", "Hitachii Ltd"),
    ("Philips Electronics NV", "Phillips Electronics N.V."),
]
DIFFERENT = [
    ("Motorola Inc", "Motorola Solutions Inc"),
    ("Nokia Oyj", "Nokian Tyres"),
    ("Siemens AG", "Siemens Healthineers AG"),
    ("Toyota Motor Corp", "Toyota Tsusho Corp"),
    ("General Electric Company", "General Motors Company"),
    ("Hitachi Ltd", "Hitachi Chemical Ltd"),
    ("Philips Electronics NV", "Phillips Petroleum Company"),
    ("Acme Tools Inc", "Acme Foods Inc"),
]


def _labels(path, rows) -> None:
    lines = ["name_a\tname_b\tsame", *(f"{a}\t{b}\t{label}" for a, b, label in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_labels_are_read_from_a_table_or_an_overrides_file(tmp_path) -> None:
    table = tmp_path / "labels.csv"
    table.write_text(
        "name_a,name_b,same\nAcme,ACME Inc,yes\nAcme,Zeta,0\nAcme,Beta,\n",
        encoding="utf-8",
    )
    assert read_labels(table).same == (True, False)  # the unlabelled line is skipped
    overrides = tmp_path / "decisions.tsv"
    overrides.write_text(
        "action\tname\tother\nmust_link\tAcme\tACME Inc\ncannot_link\tAcme\tZeta\n",
        encoding="utf-8",
    )
    assert read_labels(overrides).same == (True, False)


def test_a_bad_label_names_its_line(tmp_path) -> None:
    path = tmp_path / "labels.tsv"
    _labels(path, [("Acme", "ACME", "1"), ("Acme", "Zeta", "maybe")])
    with pytest.raises(DataFileError, match="line 3: same is 'maybe'"):
        read_labels(path)


def test_model_fit_writes_a_model_that_clustering_uses(tmp_path, capsys) -> None:
    labels = tmp_path / "labels.tsv"
    _labels(labels, [(a, b, 1) for a, b in SAME] + [(a, b, 0) for a, b in DIFFERENT])
    model_path = tmp_path / "model.tsv"
    assert main(["model", "fit", str(labels), "-o", str(model_path)]) == 0
    out = capsys.readouterr().out
    assert "fold cross-validation" in out and "average precision" in out
    model = read_match_model(model_path)
    assert model.features == FEATURE_NAMES and 0 < model.threshold < 1
    assert "labels.tsv: 16 labelled pairs" in model.metadata["source"]
    # the shipped model and this one give different probabilities for one pair
    lines = {}
    for name, extra in (("shipped", []), ("own", ["--model", str(model_path)])):
        assert main(["explain", "Motorola Inc", "Motorola Solutions Inc", *extra]) == 0
        lines[name] = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("pair: "))
    assert lines["shipped"] != lines["own"]


def test_model_fit_honours_the_labels_regional_unit_convention(tmp_path, capsys) -> None:
    labels = tmp_path / "labels.tsv"
    units = [("Motorola Inc", "Motorola Japan Ltd", 1), ("Nokia Oyj", "Nokia Europe Oyj", 1)]
    _labels(labels, [(a, b, 1) for a, b in SAME] + [(a, b, 0) for a, b in DIFFERENT] + units)
    decided = {}
    for convention in ("apart", "together"):
        command = ["model", "fit", str(labels), "-o", str(tmp_path / "model.tsv"), "--regional-units", convention]
        assert main(command) == 0
        summary = capsys.readouterr().out.splitlines()[0]
        decided[convention] = int(summary.split(", ")[-1].split()[0])
    # kept apart, the two regional units are vetoed, not fitted
    assert decided["apart"] == decided["together"] + 2


def test_too_few_labels_is_a_one_line_error(tmp_path, capsys) -> None:
    labels = tmp_path / "labels.tsv"
    _labels(labels, [("Motorola Inc", "Motorla Inc", 1), ("Acme Tools", "Acme Foods", 0)])
    assert main(["model", "fit", str(labels), "-o", str(tmp_path / "m.tsv")]) == 1
    assert "it needs at least 5 of each" in capsys.readouterr().err


def test_a_missing_model_file_is_a_one_line_error(tmp_path, capsys) -> None:
    assert main(["explain", "Acme", "Acme Inc", "--model", str(tmp_path / "none.tsv")]) == 1
    assert "no such model file" in capsys.readouterr().err


def test_model_review_writes_the_least_sure_pairs_ready_to_label(tmp_path) -> None:
    source = tmp_path / "names.csv"
    names = sorted({n for pair in SAME + DIFFERENT for n in pair})
    source.write_text("applicant\n" + "\n".join(names) + "\n", encoding="utf-8")
    cleaned = tmp_path / "cleaned.csv"
    assert (
        main(
            [
                "clean",
                str(source),
                "-o",
                str(cleaned),
                "--column",
                "applicant",
                "--quiet",
            ]
        )
        == 0
    )
    review = tmp_path / "review.tsv"
    assert main(["model", "review", str(cleaned), "-n", "3", "-o", str(review)]) == 0
    with open(review, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    assert len(rows) == 3 and set(rows[0]) == {
        "name_a",
        "name_b",
        "probability",
        "same",
    }
    assert all(r["same"] == "" and 0 < float(r["probability"]) < 1 for r in rows)
    centre = logit(shipped_model().threshold)
    doubt = [abs(logit(float(r["probability"])) - centre) for r in rows]
    assert doubt == sorted(doubt)  # the least sure first


def test_explain_a_cluster_of_a_clustered_file(tmp_path, capsys) -> None:
    source = tmp_path / "in.csv"
    source.write_text(
        "applicant\nMotorola Inc\nMotorla Inc\nMotorola Incorporated\nNokia Oyj\n",
        encoding="utf-8",
    )
    clustered = tmp_path / "out.csv"
    assert (
        main(
            [
                "clean",
                str(source),
                "-o",
                str(clustered),
                "--column",
                "applicant",
                "--cluster",
                "--quiet",
            ]
        )
        == 0
    )
    with open(clustered, encoding="utf-8", newline="") as handle:
        cluster = next(csv.DictReader(handle))["cluster_id"]
    assert main(["explain", "--cluster", cluster, "--with", str(clustered)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"cluster {cluster}: ")
    assert any(line.startswith("weakest link: ") for line in out)
