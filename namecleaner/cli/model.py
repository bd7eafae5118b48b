"""``namecleaner model fit`` and ``namecleaner model review``: a match model of one's own."""

from __future__ import annotations

import argparse
import sys

from namecleaner import io as table_io
from namecleaner.batch import clean
from namecleaner.cli.config import add_config_options, config_from_args
from namecleaner.cli.explain import read_columns
from namecleaner.cluster.score import FEATURES, read_match_model
from namecleaner.cluster.training import (
    fit_labelled,
    names_to_clean,
    read_labels,
    review_pairs,
)
from namecleaner.errors import InputError

EXAMPLES = """examples:
  namecleaner model review cleaned.csv -n 50 -o to_label.tsv    # the 50 pairs the model is least sure of
  namecleaner model fit to_label.tsv -o model.tsv               # after filling in the 'same' column
  namecleaner model fit decisions.tsv -o model.tsv --office JP  # must_link / cannot_link lines of an overrides file
  namecleaner cluster cleaned.csv -o clustered.csv --model model.tsv

Labels are a TSV or CSV with columns name_a, name_b, same (1/0, yes/no, true/false; empty
lines are skipped), or an overrides file. 'fit' prints cross-validated figures (each pair
scored by a model fitted without it) and writes the weights with their metadata."""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``model`` subcommand with ``fit`` and ``review``."""
    parser = subparsers.add_parser(
        "model",
        help="fit a match model on your own labelled pairs, or pick the pairs worth labelling",
        description="A match model of your own: fit it on labelled pairs; review the pairs it is least sure of.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    fit = actions.add_parser(
        "fit",
        help="fit a model on labelled pairs",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    fit.add_argument(
        "labels",
        metavar="LABELS",
        help="name_a, name_b, same table, or an overrides file",
    )
    fit.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="FILE",
        help="the model table to write (TSV)",
    )
    add_config_options(fit, cleaning=True)
    _add_regional_units(
        fit, "the labels' convention: with apart, a pair of a regional unit or group member is vetoed, not fitted"
    )
    fit.set_defaults(run=run_fit)
    review = actions.add_parser(
        "review",
        help="write the candidate pairs the model is least sure of",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    review.add_argument(
        "input",
        metavar="CLEANED",
        help="a file written by 'namecleaner clean' (with match_key)",
    )
    review.add_argument(
        "-n",
        "--count",
        type=int,
        default=50,
        help="how many pairs (default: %(default)s)",
    )
    review.add_argument(
        "-o",
        "--output",
        default="-",
        metavar="FILE",
        help="TSV of pairs to label (default: standard output)",
    )
    review.add_argument("--model", metavar="FILE", help="a model of your own instead of the shipped one")
    _add_regional_units(
        review, "as for 'cluster': with apart, regional units and group members are vetoed and never reviewed"
    )
    review.set_defaults(run=run_review)


def _add_regional_units(parser: argparse.ArgumentParser, meaning: str) -> None:
    """``--regional-units``: whether a regional unit or group member (Motorola Japan, Motorola) is another applicant."""
    parser.add_argument(
        "--regional-units",
        dest="regional_units",
        choices=("apart", "together"),
        help=f"a regional unit or group member is another applicant (apart, the default) or the same one ({meaning})",
    )


def run_fit(args: argparse.Namespace) -> int:
    """Fit and write the model; print the cross-validated figures."""
    config = config_from_args(args)
    labels = read_labels(args.labels)
    frame = clean(names_to_clean(labels), config)
    model, report = fit_labelled(
        labels,
        frame,
        f"namecleaner model fit {args.labels} -o {args.output}",
        config.cluster.regional_units,
    )
    model.to_tsv(args.output, {name: description for name, (_, description) in FEATURES.items()})
    print("\n".join([*report, f"wrote {args.output} (use it with --model {args.output})"]))
    return 0


def run_review(args: argparse.Namespace) -> int:
    """Write the pairs to label."""
    if args.count < 1:
        raise InputError(f"-n must be at least 1, not {args.count}")
    model = read_match_model(args.model) if args.model else None
    frame = read_columns(
        args.input,
        ["match_key"],
        ["name_clean", "original", "legal_form_class", "name_type"],
    )
    pairs = review_pairs(frame, args.count, model, regional_units=args.regional_units or "apart")
    with table_io.atomic_output(args.output) as handle:
        handle.write(pairs.to_csv(sep="\t", index=False, lineterminator="\n"))
    if args.output != table_io.STDIO:
        print(
            f"wrote {len(pairs)} pairs to {args.output}; fill in 'same' (1 or 0), then: namecleaner model fit {args.output} -o model.tsv",
            file=sys.stderr,
        )
    return 0
