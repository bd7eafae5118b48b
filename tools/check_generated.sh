#!/usr/bin/env bash
# Every generated table in the repository must equal what its generator in tools/ writes today.
# Runs each generator over the shared reference data (../shared/data), then `git diff --exit-code`
# on what they wrote. Skips, saying so, when the shared data is absent (a machine without it).
set -euo pipefail
cd "$(dirname "$0")/.."
shared=../shared/data
if [ ! -d "$shared/reference" ]; then
    echo "check_generated: $shared/reference is absent; generated tables not checked"
    exit 0
fi
unihan=$shared/reference/translit/unihan
python tools/build_han_forms.py "$unihan" >/dev/null
python tools/build_ja_only_kanji.py "$unihan" >/dev/null
python tools/build_ja_onyomi.py "$unihan/Unihan_Readings.txt.bz2" >/dev/null
python tools/build_ko_hanja.py "$unihan/Unihan_Readings.txt.bz2" >/dev/null
python tools/build_homoglyphs.py "$shared/reference/unicode/confusables.txt" >/dev/null
python tools/build_legal_forms.py --shared-data "$shared" >/dev/null
python tools/build_translit_tables.py --check >/dev/null
python tools/make_real_names_fixture.py >/dev/null
# The match model is refitted from the dev sets and compared with data/cluster/model.tsv.
python tools/fit_cluster_model.py --check
if ! git diff --exit-code --stat -- namecleaner/data transliteration_tables tests/fixtures; then
    echo "check_generated: the tables above differ from what their generators write today; rebuild them" >&2
    exit 1
fi
echo "check_generated: every generated table equals its generator's output"
