"""Transliteration: tables as data (:mod:`.table`), the rule engine (:mod:`.engine`), the
registry of built-in, user and third-party tables (:mod:`.registry`), script and language
selection (:mod:`.select`) and the built-in readers for Japanese and Chinese (:mod:`.readers`).
"""
